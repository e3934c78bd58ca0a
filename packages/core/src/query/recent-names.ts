import { ValidationError } from '../errors/errors.ts';
import { sqlTimestamp, type TimestampInput } from '../time/index.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { KIND_VIEWS, type MetricViewKind } from './metric-kinds.ts';

/** A metric name with points since a time, and its kind (see {@link VIEW_KINDS}). */
export interface RecentMetricName {
  name: string;
  kind: MetricViewKind;
}

/** A symbol with candles (and their intervals) or trades since a time. */
export interface RecentMarket {
  symbol: string;
  /** Intervals of its stored candles; null when it has trades only. */
  intervals: string[] | null;
  trades: boolean;
}

const METRIC_NAMES = `SELECT name, kind FROM (
${KIND_VIEWS.map(([view, kind]) => `  SELECT DISTINCT name, '${kind}' AS kind FROM ${view} WHERE ts >= ?::TIMESTAMP`).join('\n  UNION ALL\n')})
ORDER BY name, kind LIMIT ?`;

const MARKETS = `SELECT symbol, list(DISTINCT interval ORDER BY interval) FILTER (WHERE interval IS NOT NULL) AS intervals,
  bool_or(from_trades) AS trades
FROM (SELECT DISTINCT symbol, interval, false AS from_trades FROM trading_candles WHERE ts >= ?::TIMESTAMP
      UNION ALL SELECT DISTINCT symbol, NULL AS interval, true AS from_trades FROM trading_trades WHERE ts >= ?::TIMESTAMP)
GROUP BY symbol ORDER BY symbol LIMIT ?`;

const METRIC_SYMBOLS = `${KIND_VIEWS.map(
  ([view]) => `SELECT DISTINCT symbol FROM ${view} WHERE ts >= ?::TIMESTAMP AND symbol IS NOT NULL`,
).join('\nUNION ')}
ORDER BY symbol LIMIT ?`;

/** Each query reads its tables from the same time: the cutoff once per table, then the limit. */
function sinceQuery<R>(sql: string, since: TimestampInput, limit: number): CompiledQuery<R> {
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('limit', 'must be a positive integer');
  const from = sqlTimestamp(since, 'since');
  const tables = sql.split('?::TIMESTAMP').length - 1;
  return compiled<R>(sql, [...Array.from({ length: tables }, () => from), limit]);
}

/**
 * Metric names of every kind (scalar metrics, explicit and exponential histograms, summaries) with points at or after `since`, by name, at most `limit`.
 * @example await db.all(recentMetricNames(Date.now() - 86_400_000, 1000)) // [{ name: 'latency', kind: 'histogram' }]
 */
export function recentMetricNames(since: TimestampInput, limit: number): CompiledQuery<RecentMetricName> {
  return sinceQuery(METRIC_NAMES, since, limit);
}

/**
 * Symbols with candles or trades at or after `since`, with their candle intervals, by symbol, at most `limit`.
 * @example await db.all(recentMarkets(Date.now() - 86_400_000, 1000)) // [{ symbol: 'BTC/USD', intervals: ['1m'], trades: true }]
 */
export function recentMarkets(since: TimestampInput, limit: number): CompiledQuery<RecentMarket> {
  return sinceQuery(MARKETS, since, limit);
}

/**
 * Symbols on metric points of any kind at or after `since`, sorted, at most `limit`.
 * @example await db.all(recentMetricSymbols(Date.now() - 86_400_000, 1000)) // [{ symbol: 'BTC/USD' }]
 */
export function recentMetricSymbols(since: TimestampInput, limit: number): CompiledQuery<{ symbol: string }> {
  return sinceQuery(METRIC_SYMBOLS, since, limit);
}
