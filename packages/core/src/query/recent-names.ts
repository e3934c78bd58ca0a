import { ValidationError } from '../errors.ts';
import { sqlTimestamp, type TimestampInput } from '../time/index.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';

/** A metric name with points since a time; `histogram` for explicit-bucket histograms. */
export interface RecentMetricName {
  name: string;
  kind: 'scalar' | 'histogram';
}

/** A symbol with candles (and their intervals) or trades since a time. */
export interface RecentMarket {
  symbol: string;
  /** Intervals of its stored candles; null when it has trades only. */
  intervals: string[] | null;
  trades: boolean;
}

const METRIC_NAMES = `SELECT name, kind FROM (
  SELECT DISTINCT name, 'scalar' AS kind FROM trading_metrics WHERE ts >= ?::TIMESTAMP
  UNION ALL
  SELECT DISTINCT name, 'histogram' AS kind FROM otel_histograms WHERE ts >= ?::TIMESTAMP)
ORDER BY name, kind LIMIT ?`;

const MARKETS = `SELECT symbol, list(DISTINCT interval ORDER BY interval) FILTER (WHERE interval IS NOT NULL) AS intervals,
  bool_or(from_trades) AS trades
FROM (SELECT DISTINCT symbol, interval, false AS from_trades FROM trading_candles WHERE ts >= ?::TIMESTAMP
      UNION ALL SELECT DISTINCT symbol, NULL AS interval, true AS from_trades FROM trading_trades WHERE ts >= ?::TIMESTAMP)
GROUP BY symbol ORDER BY symbol LIMIT ?`;

const METRIC_SYMBOLS = `SELECT DISTINCT symbol FROM trading_metrics WHERE ts >= ?::TIMESTAMP AND symbol IS NOT NULL
UNION SELECT DISTINCT symbol FROM otel_histograms WHERE ts >= ?::TIMESTAMP AND symbol IS NOT NULL
ORDER BY symbol LIMIT ?`;

/** Each query reads two tables from the same time: the cutoff twice, then the limit. */
function sinceQuery<R>(sql: string, since: TimestampInput, limit: number): CompiledQuery<R> {
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('limit', 'must be a positive integer');
  const from = sqlTimestamp(since, 'since');
  return compiled<R>(sql, [from, from, limit]);
}

/**
 * Metric names (scalar metrics and histograms) with points at or after `since`, by name, at most `limit`.
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
 * Symbols on metric or histogram points at or after `since`, sorted, at most `limit`.
 * @example await db.all(recentMetricSymbols(Date.now() - 86_400_000, 1000)) // [{ symbol: 'BTC/USD' }]
 */
export function recentMetricSymbols(since: TimestampInput, limit: number): CompiledQuery<{ symbol: string }> {
  return sinceQuery(METRIC_SYMBOLS, since, limit);
}
