import type { Database } from '@duckside/core';
import { emptyScalarPoint, emptySeriesContext, MetricBatch, type ScalarPoint } from '@duckside/core/ingest';
import { TRADING_SYMBOLS } from '@duckside/testkit/otlp';
import { Prng } from '../lib/prng.ts';

/** First instant of the cold tier bench data (UTC). */
export const TIER_BENCH_START = Date.UTC(2025, 0, 1);
/** Days of data. */
export const TIER_BENCH_DAYS = Number(process.env.BENCH_TIER_DAYS ?? 30);
const DAY = 86_400_000;

/** The symbols of the bench data (4 metrics x 8 symbols): testkit's trading symbols. */
export const TIER_SYMBOLS = TRADING_SYMBOLS;
const METRICS = ['order_latency_ms', 'spread_bps', 'queue_depth', 'mid_price'];

/** How much data: points per day in all, a trade per symbol every `tradeEverySeconds`. */
export interface TierBenchShape {
  pointsPerDay: number;
  tradeEverySeconds: number;
}

/**
 * Writes 30 days of metric points (gauges, 32 series, evenly spaced per series) and trades (a random walk per
 * symbol), one day per commit; returns the rows written.
 */
export async function writeTierBenchData(
  db: Database,
  shape: TierBenchShape,
  log: (line: string) => void,
): Promise<number> {
  const rng = new Prng(20250101);
  const prices = TIER_SYMBOLS.map((_, i) => 100 * (i + 1));
  const series = METRICS.map((name) => ({ ...emptySeriesContext(name), service: 'oms', unit: 'ms' }));
  const perSeries = Math.floor(shape.pointsPerDay / (METRICS.length * TIER_SYMBOLS.length));
  const stepMicros = (DAY * 1000) / perSeries;
  let written = 0;
  for (let d = 0; d < TIER_BENCH_DAYS; d++) {
    const dayMicros = (TIER_BENCH_START + d * DAY) * 1000;
    const batch = new MetricBatch();
    const point: ScalarPoint = emptyScalarPoint();
    for (let i = 0; i < perSeries; i++) {
      for (const [s, symbol] of TIER_SYMBOLS.entries()) {
        for (const [m, context] of series.entries()) {
          point.timeMicros = Math.floor(dayMicros + i * stepMicros + s * 7 + m);
          point.symbol = symbol;
          point.attributes = `{"symbol":"${symbol}","venue":"v${s % 3}"}`;
          point.value = m === 3 ? prices[s]! : Math.round(rng.next() * 1000) / 10;
          batch.pushScalar(context, point);
        }
      }
    }
    await db.writeMetricBatch(batch);
    written += perSeries * METRICS.length * TIER_SYMBOLS.length;
    const trades = [];
    for (let t = 0; t < 86_400; t += shape.tradeEverySeconds) {
      for (const [s, symbol] of TIER_SYMBOLS.entries()) {
        prices[s] = Math.max(1, prices[s]! * (1 + (rng.next() - 0.5) / 500));
        trades.push({
          timestamp: TIER_BENCH_START + d * DAY + t * 1000 + s,
          symbol,
          venue: `v${s % 3}`,
          side: rng.next() < 0.5 ? 'buy' : 'sell',
          quantity: Math.round(rng.next() * 100) / 10 + 0.1,
          price: Math.round(prices[s]! * 100) / 100,
        });
      }
    }
    await db.insertTrades(trades);
    written += trades.length;
    if (d % 10 === 9) log(`written ${d + 1} days, ${written} rows`);
  }
  return written;
}
