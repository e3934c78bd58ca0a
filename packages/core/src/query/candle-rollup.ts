import type { RollupRoute } from '../rollups/rollup-plan.ts';
import type { CandleRow, CandleState } from './candle-state.ts';
import { type CompiledQuery, compiled, type SqlParam } from './compiled-query.ts';
import { metricRollupRows, tradeRollupRows } from './rollup-sources.ts';

/**
 * Candles built from trades or a price metric, answered along a rollup route: per query bucket, the open of the
 * earliest and the close of the latest rollup row (or raw trade/point), the extremes, summed volume, the VWAP from
 * the summed numerators `sum(price * quantity)` and volumes, and the summed trade (or sample) counts.
 * @example rollupCandles(state, route)
 */
export function rollupCandles(s: CandleState, route: RollupRoute): CompiledQuery<CandleRow> {
  const full = candleSql(s, route, false);
  const clean = candleSql(s, route, true);
  return compiled(full.sql, full.params, [], route.source, clean);
}

function candleSql(s: CandleState, route: RollupRoute, clean: boolean): { sql: string; params: SqlParam[] } {
  if (s.source.kind === 'metric') {
    const filter = {
      name: s.source.name,
      ...(s.symbol === undefined ? {} : { symbol: s.symbol }),
      ...(s.from === undefined ? {} : { from: s.from }),
      ...(s.to === undefined ? {} : { to: s.to }),
    };
    const rows = metricRollupRows(filter, route, { sql: 'symbol', params: [] }, clean);
    return {
      sql: `WITH ${rows.sql}
SELECT time_bucket(?::INTERVAL, ts) AS ts, g AS symbol, NULL::VARCHAR AS venue,
  arg_min(first_value, first_time) AS open, max(max) AS high, min(min) AS low, arg_max(last_value, last_time) AS close,
  sum(count)::DOUBLE AS volume, NULL::DOUBLE AS vwap, sum(count) AS trades
FROM rows GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ?`,
      params: [...rows.params, s.interval.sql, s.limit],
    };
  }
  const market = {
    ...(s.symbol === undefined ? {} : { symbol: s.symbol }),
    ...(s.venue === undefined ? {} : { venue: s.venue }),
  };
  const rows = tradeRollupRows(market, s, route, clean);
  const venue = s.venue !== undefined ? 'venue' : 'NULL::VARCHAR';
  return {
    sql: `WITH ${rows.sql}
SELECT time_bucket(?::INTERVAL, ts) AS ts, symbol, ${venue} AS venue,
  arg_min(open, first_ts) AS open, max(high) AS high, min(low) AS low, arg_max(close, last_ts) AS close,
  sum(volume) AS volume, sum(notional) / sum(volume) AS vwap, sum(trades) AS trades
FROM rows GROUP BY 1, 2, 3 ORDER BY 1, 2 LIMIT ?`,
    params: [...rows.params, s.interval.sql, s.limit],
  };
}
