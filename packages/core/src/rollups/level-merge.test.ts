import { afterEach, describe, expect, it } from 'vitest';
import {
  STREAM_BASE_MS,
  type StreamWrite,
  type TestHistogram,
  writeHistory,
} from '../../test/support/rollup-streams.ts';
import { type TestPoint, writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import { TradeRecord } from '../models/trade-record.ts';
import { candles } from '../query/candle-query.ts';
import type { CompiledQuery } from '../query/compiled-query.ts';
import { histogramQuantiles } from '../query/histogram-quantile.ts';
import { aggregateMetrics } from '../query/metric-aggregate.ts';
import { Temporality } from '../writers/metric-batch.ts';
import { DEFAULT_ROLLUP_LEVELS } from './rollup-levels.ts';

const BASE = Date.UTC(2024, 0, 2);
const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const H = 3_600_000;

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

async function open(): Promise<Database> {
  db = await Database.open({
    path: ':memory:',
    rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
  });
  return db;
}

/** The routed answer (asserting it came from a rollup) equals the raw one. */
async function sameAsRaw<R>(
  database: Database,
  builder: { compile(plan?: Database['rollupPlan']): CompiledQuery<R> },
) {
  const routed = await database.execute(builder);
  expect(routed.source).toMatch(/^rollup:/);
  expect(routed.rows).toEqual(await database.all(builder.compile()));
  return routed.rows;
}

const counter = (ms: number, value: number, start = BASE): TestPoint => ({
  name: 'c',
  time: ns(BASE + ms),
  value,
  symbol: 'A',
  temporality: Temporality.Cumulative,
  start: ns(start),
});

const QUERIES = () =>
  (['increase', 'sum', 'count', 'first', 'last', 'min', 'max'] as const).flatMap((fn) =>
    ['1m', '1h'].map((interval) =>
      aggregateMetrics('c')
        .fn(fn)
        .interval(interval)
        .between(new Date(BASE).toISOString(), new Date(BASE + 2 * H).toISOString()),
    ),
  );

describe('merging pending points into rollups', () => {
  it('merges points that follow the stored ones (counter rises and resets across commits) without reading raw rows', async () => {
    const database = await open();
    await writePoints(database, [counter(1_000, 5), counter(2_000, 9)]);
    await database.catchUpRollups();
    // Same minute and hour: a rise over the stored last point, then a reset, then a new start time.
    await writePoints(database, [counter(3_000, 12), counter(4_000, 2), counter(70_000, 4, BASE + 60_000)]);
    await database.catchUpRollups();
    const stats = database.rollupStats();
    expect(stats.merged).toBeGreaterThan(0);
    expect(stats.rebuiltOnMerge).toBe(0);
    // 5 (its start is in range), -> 9 (+4), -> 12 (+3), reset to 2 (+2); next minute: a new start time, 4 (+4).
    const increase = await sameAsRaw(database, QUERIES()[0]!);
    expect(increase.map((r) => r.value)).toEqual([14, 4]);
    for (const q of QUERIES()) await sameAsRaw(database, q);
  });

  it('rebuilds from raw rows the buckets a late point interleaves with, and stays equal to raw', async () => {
    const database = await open();
    await writePoints(database, [counter(1_000, 5), counter(3_000, 9), counter(5_000, 1)]);
    await database.catchUpRollups();
    await writePoints(database, [counter(2_000, 7), counter(4_000, 20)]);
    await database.catchUpRollups();
    expect(database.rollupStats().rebuiltOnMerge).toBeGreaterThan(0);
    for (const q of QUERIES()) await sameAsRaw(database, q);
  });

  it('merges trades in any order, rebuilding only on a tie of the first or last time', async () => {
    const database = await open();
    const trade = (ms: number, price: number) =>
      new TradeRecord({
        timestamp: new Date(BASE + ms),
        symbol: 'A',
        venue: 'v',
        side: 'buy',
        quantity: 1,
        price,
      });
    await database.insertTrades([trade(10_000, 100), trade(20_000, 101)]);
    await database.catchUpRollups();
    await database.insertTrades([trade(5_000, 99), trade(30_000, 102)]);
    await database.catchUpRollups();
    expect(database.rollupStats().rebuiltOnMerge).toBe(0);
    // A re-sent trade: the same last time (and price).
    await database.insertTrades([trade(30_000, 102)]);
    await database.catchUpRollups();
    expect(database.rollupStats().rebuiltOnMerge).toBeGreaterThan(0);
    for (const interval of ['1m', '1h']) {
      const rows = await sameAsRaw(
        database,
        candles('A')
          .fromTrades()
          .interval(interval)
          .between(new Date(BASE).toISOString(), new Date(BASE + H).toISOString()),
      );
      expect(rows[0]).toMatchObject({ open: 99, high: 102, low: 99, close: 102, trades: 5 });
    }
  });

  it('merges delta and cumulative histograms that follow the stored ones, bucket counts included', async () => {
    const database = await open();
    const h = (ms: number, temporality: 1 | 2, counts: number[], series = 0): TestHistogram => ({
      series,
      time: ns(STREAM_BASE_MS + ms),
      temporality,
      start: temporality === 2 ? ns(STREAM_BASE_MS) : null,
      bounds: [1, 5, 10],
      counts,
    });
    const write = (histograms: TestHistogram[]): StreamWrite => ({
      points: [],
      histograms,
      trades: [],
      catchUp: true,
    });
    await writeHistory(database, [
      write([h(1_000, 1, [1, 0, 0, 0]), h(1_000, 2, [1, 1, 0, 0], 2)]),
      write([h(2_000, 1, [0, 5, 0, 0]), h(3_000, 1, [0, 0, 7, 0]), h(2_000, 2, [2, 3, 0, 0], 2)]),
      write([h(4_000, 2, [2, 9, 4, 1], 2), h(5_000, 2, [1, 0, 0, 0], 2)]),
    ]);
    const stats = database.rollupStats();
    expect(stats.merged).toBeGreaterThan(0);
    expect(stats.rebuiltOnMerge).toBe(0);
    for (const interval of ['1m', '1h']) {
      for (const by of ['none', 'symbol'] as const) {
        await sameAsRaw(
          database,
          histogramQuantiles('h')
            .interval(interval)
            .groupBy({ by })
            .quantiles([0.1, 0.5, 0.9])
            .between(new Date(STREAM_BASE_MS).toISOString(), new Date(STREAM_BASE_MS + H).toISOString()),
        );
      }
    }
  });
});
