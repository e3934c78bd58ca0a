import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { at, historyArbitrary, STREAM_SPAN_MS, writeHistory } from '../../test/support/rollup-streams.ts';
import { Database } from '../database/database.ts';
import type { Aggregation } from '../query/aggregations.ts';
import { candles } from '../query/candle-query.ts';
import { histogramQuantiles } from '../query/histogram-quantile.ts';
import { aggregateMetrics } from '../query/metric-aggregate.ts';
import type { MetricGrouping } from '../query/metric-grouping.ts';
import { DEFAULT_ROLLUP_LEVELS } from './rollup-levels.ts';

const MERGEABLE: Aggregation[] = ['avg', 'sum', 'min', 'max', 'count', 'first', 'last', 'rate', 'increase'];
const INTERVALS = ['1m', '5m', '1h', '2h', '1d'];
const GROUPINGS: MetricGrouping[] = [{ by: 'none' }, { by: 'symbol' }, { by: 'label', key: 'side' }];
const H = 3_600_000;

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

/** Ranges over the six hours: aligned to the hour, unaligned on both ends, open at either end. */
const rangeArbitrary = fc.oneof(
  fc.record({ from: fc.constant(0), to: fc.constant(6 * H) }),
  fc.record({ from: fc.integer({ min: 0, max: 3 * H }), to: fc.integer({ min: 3 * H, max: 6 * H }) }),
  fc.record({ from: fc.integer({ min: 0, max: 6 * H }) }),
  fc.record({ to: fc.integer({ min: 1, max: 6 * H }) }),
);

type Range = { from?: number; to?: number };
const between = <B extends { between(from?: string, to?: string): B }>(b: B, r: Range) =>
  b.between(r.from === undefined ? undefined : at(r.from), r.to === undefined ? undefined : at(r.to));

async function routedAndRaw<R>(
  database: Database,
  builder: { compile(plan?: Database['rollupPlan']): import('../query/compiled-query.ts').CompiledQuery<R> },
) {
  const routed = await database.execute(builder);
  const raw = await database.all(builder.compile());
  return { routed, raw };
}

/** Rows in a stable order (raw candles of several venues in one bucket come in any order). */
const sorted = <R>(rows: R[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('rollups answer exactly what raw points answer', () => {
  it('for every mergeable aggregation, interval, grouping and range, over random late, duplicated and reset streams', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArbitrary(200),
        fc.array(
          fc.record({
            fn: fc.constantFrom(...MERGEABLE),
            interval: fc.constantFrom(...INTERVALS),
            grouping: fc.constantFrom(...GROUPINGS),
            range: rangeArbitrary,
          }),
          { minLength: 12, maxLength: 12 },
        ),
        async (history, queries) => {
          db = await Database.open({
            path: ':memory:',
            rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
          });
          await writeHistory(db, history);
          for (const q of queries) {
            const builder = between(
              aggregateMetrics('m').fn(q.fn).interval(q.interval).groupBy(q.grouping),
              q.range,
            );
            const { routed, raw } = await routedAndRaw(db, builder);
            expect(routed.source).toMatch(/^rollup:1(m|h)|^raw$/);
            expect(routed.rows, JSON.stringify(q)).toEqual(raw);
          }
          await db.close();
          db = undefined;
        },
      ),
      { numRuns: 12, endOnFailure: true },
    );
  }, 120_000);

  it('for candles from trades (one venue or all) and from a price metric', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArbitrary(200),
        fc.array(
          fc.record({
            source: fc.constantFrom('trades', 'metric'),
            symbol: fc.constantFrom('A', 'B', undefined),
            venue: fc.constantFrom('v1', undefined),
            interval: fc.constantFrom(...INTERVALS),
            range: rangeArbitrary,
          }),
          { minLength: 8, maxLength: 8 },
        ),
        async (history, queries) => {
          db = await Database.open({
            path: ':memory:',
            rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
          });
          await writeHistory(db, history);
          for (const q of queries) {
            let builder = between(candles(q.symbol).interval(q.interval), q.range);
            builder = q.source === 'metric' ? builder.fromMetric('m') : builder.fromTrades();
            if (q.source === 'trades' && q.venue !== undefined) builder = builder.venue(q.venue);
            const { routed, raw } = await routedAndRaw(db, builder);
            expect(sorted(routed.rows), JSON.stringify(q)).toEqual(sorted(raw));
          }
          await db.close();
          db = undefined;
        },
      ),
      { numRuns: 12, endOnFailure: true },
    );
  }, 120_000);

  it('for explicit-bucket histogram quantiles, over random cumulative, delta and reset histograms', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArbitrary(200),
        fc.array(
          fc.record({
            interval: fc.constantFrom(...INTERVALS),
            grouping: fc.constantFrom(...GROUPINGS),
            range: rangeArbitrary,
            quantiles: fc.constantFrom([0.5, 0.99], [0, 0.25, 1], [0.9]).map((q) => [...q]),
          }),
          { minLength: 8, maxLength: 8 },
        ),
        async (history, queries) => {
          db = await Database.open({
            path: ':memory:',
            rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
          });
          await writeHistory(db, history);
          for (const q of queries) {
            const builder = between(
              histogramQuantiles('h').interval(q.interval).groupBy(q.grouping).quantiles(q.quantiles),
              q.range,
            );
            const { routed, raw } = await routedAndRaw(db, builder);
            expect(sorted(routed.rows), JSON.stringify(q)).toEqual(sorted(raw));
          }
          await db.close();
          db = undefined;
        },
      ),
      { numRuns: 12, endOnFailure: true },
    );
  }, 120_000);

  it('answers aligned ranges from the coarsest level, unaligned ones with raw edges, once caught up', async () => {
    db = await Database.open({
      path: ':memory:',
      rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
    });
    const [history] = fc.sample(historyArbitrary(100), { numRuns: 1, seed: 7 });
    await writeHistory(db, history!);
    await db.catchUpRollups();
    const q = (interval: string, r: Range) => between(aggregateMetrics('m').fn('sum').interval(interval), r);
    expect((await db.execute(q('1h', { from: 0, to: 6 * H }))).source).toBe('rollup:1h');
    expect((await db.execute(q('1d', { from: 0, to: 6 * H }))).source).toBe('rollup:1h');
    expect((await db.execute(q('5m', { from: 0, to: 6 * H }))).source).toBe('rollup:1m');
    expect((await db.execute(q('1h', { from: 90_000, to: 6 * H }))).source).toBe('rollup:1h+raw');
    expect((await db.execute(q('30s', { from: 0, to: 6 * H }))).source).toBe('raw');
    expect((await db.execute(q('1h', { from: 60_000, to: 120_000 }))).source).toBe('raw');
    const p99 = aggregateMetrics('m').fn('p99').interval('1h');
    expect((await db.execute(p99)).source).toBe('raw');
    expect(STREAM_SPAN_MS).toBe(6 * H);
  });
});
