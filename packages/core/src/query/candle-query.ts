import { type RollupPlan, routeRollup } from '../rollups/rollup-plan.ts';
import { TimeInterval } from '../time/index.ts';
import { checkCount, checkText, WhereClause } from './builder-base.ts';
import { rollupCandles } from './candle-rollup.ts';
import type { CandleRow, CandleState } from './candle-state.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { RangedBuilder } from './ranged-builder.ts';
import { addTimeRange, checkBucketCount } from './time-range-clause.ts';

/**
 * OHLCV candles for a symbol over time buckets.
 * @example candles('BTC/USD').interval('5m').fromTrades().between(from, to).compile()
 */
export class CandleQueryBuilder extends RangedBuilder<CandleState> {
  /** Only this venue (all venues merged when absent, for built candles). */
  venue(venue: string): this {
    return this.with({ venue: checkText('venue', venue) });
  }
  /** Candle width. For stored candles, the stored interval to return. */
  interval(interval: string | TimeInterval): this {
    return this.with({ interval: TimeInterval.parse(interval) });
  }
  /** Read stored candles (the default). */
  fromStored(): this {
    return this.with({ source: { kind: 'stored' } });
  }
  /** Build candles from trades, with VWAP and trade count. */
  fromTrades(): this {
    return this.with({ source: { kind: 'trades' } });
  }
  /** Build candles from a price metric's points. */
  fromMetric(name: string): this {
    return this.with({ source: { kind: 'metric', name: checkText('name', name) } });
  }
  /** Refuse ranges with more buckets than this. */
  maxBuckets(maxBuckets: number): this {
    return this.with({ maxBuckets: checkCount('maxBuckets', maxBuckets, 10_000_000) });
  }

  /**
   * Compiles to frozen SQL and parameters. With a rollup plan (`db.execute` passes `db.rollupPlan`), candles built
   * from trades or a price metric come from the coarsest rollup level that makes up their buckets (raw rows at
   * unaligned edges), and the query names its `source`; stored candles are read as stored (`raw`).
   */
  compile(plan?: RollupPlan): CompiledQuery<CandleRow> {
    const s = this.state;
    if (plan && s.source.kind !== 'stored') {
      checkBucketCount(s, s.interval, s.maxBuckets);
      const route = routeRollup(plan, s.interval, s);
      if (route) return rollupCandles(s, route);
    }
    const raw = this.compileRaw();
    return plan ? compiled(raw.sql, raw.params, [], 'raw') : raw;
  }

  /** The raw-row query. */
  private compileRaw(): CompiledQuery<CandleRow> {
    const s = this.state;
    const where = new WhereClause();
    if (s.symbol !== undefined) where.add('symbol = ?', s.symbol);
    if (s.source.kind === 'stored') {
      if (s.venue !== undefined) where.add('venue = ?', s.venue);
      where.add('interval = ?', s.interval.toString());
      addTimeRange(where, s);
      return compiled(
        `SELECT ts, symbol, venue, open, high, low, close, volume, NULL::DOUBLE AS vwap, NULL::BIGINT AS trades
FROM trading_candles${where.toSql()} ORDER BY ts, symbol, venue LIMIT ?`,
        [...where.params, s.limit],
      );
    }
    checkBucketCount(s, s.interval, s.maxBuckets);
    addTimeRange(where, s);
    // One symbol asked for: it is a constant of the answer, not a grouping key.
    const symbol =
      s.symbol === undefined
        ? { sql: 'symbol', params: [], groups: '1, 2' }
        : { sql: '?::VARCHAR', params: [s.symbol], groups: '1' };
    if (s.source.kind === 'metric') {
      where.add('name = ?', s.source.name);
      return compiled(
        `SELECT time_bucket(?::INTERVAL, ts) AS ts, ${symbol.sql} AS symbol, NULL::VARCHAR AS venue,
  arg_min(value, time_unix_nano) AS open, max(value) AS high, min(value) AS low, arg_max(value, time_unix_nano) AS close,
  count(*)::DOUBLE AS volume, NULL::DOUBLE AS vwap, count(*) AS trades
FROM trading_metrics${where.toSql()} GROUP BY ${symbol.groups} ORDER BY ${symbol.groups} LIMIT ?`,
        [s.interval.sql, ...symbol.params, ...where.params, s.limit],
      );
    }
    if (s.venue !== undefined) where.add('venue = ?', s.venue);
    const venue = s.venue !== undefined ? 'venue' : 'NULL::VARCHAR';
    return compiled(
      `SELECT time_bucket(?::INTERVAL, ts) AS ts, ${symbol.sql} AS symbol, ${venue} AS venue,
  arg_min(price, ts) AS open, max(price) AS high, min(price) AS low, arg_max(price, ts) AS close,
  sum(quantity) AS volume, sum(price * quantity) / sum(quantity) AS vwap, count(*) AS trades
FROM trading_trades${where.toSql()} GROUP BY ${symbol.groups}, ${s.venue !== undefined ? 'venue' : '3'} ORDER BY ${symbol.groups} LIMIT ?`,
      [s.interval.sql, ...symbol.params, ...where.params, s.limit],
    );
  }
}

/** Starts a candle query for one symbol (or all symbols when omitted): stored 1m candles by default. */
export function candles(symbol?: string): CandleQueryBuilder {
  return new CandleQueryBuilder({
    ...(symbol === undefined ? {} : { symbol: checkText('symbol', symbol) }),
    interval: TimeInterval.Minute,
    source: { kind: 'stored' },
    limit: 100_000,
    maxBuckets: 100_000,
  });
}
