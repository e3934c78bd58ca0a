import {
  aggregateMetrics,
  candles,
  compiled,
  DATA_TABLES,
  type Database,
  MetricRecord,
  selectEvents,
  selectMetrics,
  selectTrades,
  TimeInterval,
} from '../../src/index.ts';
import { writeExpHistograms } from './exp-histograms.ts';
import { writeSmallHistogram } from './small-histogram.ts';
import { writeSummaries } from './summaries.ts';

/** First day of the tier test data: 2024-01-01 UTC. */
export const TIER_T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

/**
 * Writes `days` UTC days from {@link TIER_T0} of every kind of data: two scalar series every 10 min, hourly
 * explicit and exponential histograms and summaries, hourly candles and trades, events every 6 hours.
 * @example await writeTierData(db, 5);
 */
export async function writeTierData(db: Database, days: number): Promise<void> {
  for (let d = 0; d < days; d++) {
    const start = TIER_T0 + d * 24 * HOUR;
    const metrics: MetricRecord[] = [];
    for (let m = 0; m < 144; m++) {
      const t = start + m * 600_000;
      metrics.push(
        new MetricRecord('latency_ms', (m % 17) + d / 10, t).withSymbol('BTC/USD').addLabel('venue', 'a'),
      );
      metrics.push(
        new MetricRecord('queue_depth', m % 5, t).withSymbol('ETH/USD').addLabel('service', 'oms'),
      );
    }
    await db.insertMetrics(metrics);
    for (let h = 0; h < 24; h++) await writeSmallHistogram(db, 'fill_ms', start + h * HOUR);
    const hours = Array.from({ length: 24 }, (_, h) => start + h * HOUR + 1000);
    await writeExpHistograms(
      db,
      hours.map((t, h) => ({ name: 'rtt', timeMs: t, symbol: 'BTC/USD', values: [1, 2, h + 3], scale: 2 })),
    );
    await writeSummaries(
      db,
      hours.map((t, h) => ({
        name: 'rpc',
        timeMs: t,
        startMs: t - 1000,
        symbol: 'X',
        count: h + 1,
        sum: h * 2,
        quantiles: { 0.5: h },
      })),
    );
    await db.insertCandles(
      hours.map((t, h) => ({
        symbol: 'BTC/USD',
        venue: 'a',
        interval: '1h',
        timestamp: t - 1000,
        open: h,
        high: h + 2,
        low: h - 1,
        close: h + 1,
        volume: 10 + d,
      })),
    );
    await db.insertTrades(
      hours.map((t, h) => ({
        timestamp: t + 5,
        symbol: h % 2 ? 'BTC/USD' : 'ETH/USD',
        venue: 'a',
        side: h % 3 ? 'buy' : 'sell',
        quantity: 1 + h,
        price: 100 + d + h / 10,
        fee: 0.1,
        orderId: `o${d}-${h}`,
      })),
    );
    await db.insertEvents(
      [0, 6, 12, 18].map((h) => ({
        timestamp: start + h * HOUR,
        severity: 'info',
        source: 'oms',
        message: `day ${d} hour ${h}`,
        attributes: { symbol: 'BTC/USD' },
      })),
    );
  }
}

/**
 * What every reader sees: every data table and the points tables through the query path (sorted), and answers
 * of the builders over the whole range and over one day.
 */
export async function everyView(db: Database): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of [...DATA_TABLES, 'metric_points', 'histogram_points']) {
    out[t] = await db.all(compiled(`SELECT * FROM ${t} ORDER BY ALL`, []));
  }
  const day2 = { from: TIER_T0 + 24 * HOUR, to: TIER_T0 + 48 * HOUR };
  out.select = (await db.execute(selectMetrics().name('latency_ms').limit(10_000))).rows;
  out.aggregate = (
    await db.execute(aggregateMetrics('latency_ms').interval(TimeInterval.Hour).fn('avg'))
  ).rows;
  out.aggregateDay = (
    await db.execute(
      aggregateMetrics('queue_depth').between(day2.from, day2.to).interval(TimeInterval.Minute).fn('max'),
    )
  ).rows;
  out.candles = (await db.execute(candles('BTC/USD').interval(TimeInterval.Hour).fromTrades())).rows;
  out.trades = (await db.execute(selectTrades().limit(10_000))).rows;
  out.events = (await db.execute(selectEvents().limit(10_000))).rows;
  return out;
}
