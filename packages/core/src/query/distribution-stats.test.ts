import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBucketedImmutable } from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { type TestExpHistogram, writeExpHistograms } from '../../test/support/exp-histograms.ts';
import { writeSmallHistogram } from '../../test/support/small-histogram.ts';
import { type TestSummary, writeSummaries } from '../../test/support/summaries.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { Temporality } from '../writers/metric-batch.ts';
import { type DistributionTable, distributionStats } from './distribution-stats.ts';

const T0 = Date.UTC(2024, 0, 2, 12, 0);
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

const delta: TestExpHistogram[] = [
  { name: 'latency', timeMs: T0, symbol: 'BTC/USD', scale: 3, values: [1, 2, 3] },
  { name: 'latency', timeMs: T0 + 10_000, symbol: 'ETH/USD', scale: 5, values: [0.5, 40] },
  { name: 'latency', timeMs: T0 + 70_000, symbol: 'BTC/USD', scale: 3, values: [7] },
];
const cumulative = (second: number, values: number[], startMs: number): TestExpHistogram => ({
  name: 'cumulative',
  timeMs: T0 + second * 1000,
  symbol: 'BTC/USD',
  scale: 2,
  values,
  temporality: Temporality.Cumulative,
  startMs,
});
const summaries: TestSummary[] = [0, 1, 2, 3].map((i) => ({
  name: 'rpc_duration',
  timeMs: T0 + i * 30_000,
  startMs: i < 3 ? T0 - 1000 : T0 + 80_000,
  symbol: 'BTC/USD',
  count: i < 3 ? (i + 1) * 60 : 6,
  sum: i < 3 ? (i + 1) * 120 : 18,
  quantiles: { 0.5: 2 },
}));

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await writeExpHistograms(db, [
    ...delta,
    cumulative(0, [1, 2], T0 - 1000),
    cumulative(30, [1, 2, 4, 8], T0 - 1000),
    cumulative(70, [1, 2, 4, 8, 16], T0 - 1000),
    cumulative(90, [3], T0 + 80_000),
  ]);
  await writeSummaries(db, summaries);
  await writeSmallHistogram(db, 'fills', T0);
});
afterAll(() => db.close());

describe('distributionStats', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectBucketedImmutable(distributionStats('otel_exp_histograms', 'x'), T0);
  });

  it('gives count, sum, rates, min and max of delta points per bucket and group', async () => {
    const { rows } = await db.execute(
      distributionStats('otel_exp_histograms', 'latency').groupBy({ by: 'symbol' }),
    );
    expect(rows).toEqual(
      delta.map((p) => ({
        bucket: new Date(T0 + (p.timeMs >= T0 + 60_000 ? 60_000 : 0)),
        group: p.symbol,
        count: p.values.length,
        sum: sum(p.values),
        countRate: p.values.length / 60,
        sumRate: sum(p.values) / 60,
        min: Math.min(...p.values),
        max: Math.max(...p.values),
        points: 1,
      })),
    );
  });

  it('differences cumulative points per series and counts a restart in full', async () => {
    const { rows } = await db.execute(distributionStats('otel_exp_histograms', 'cumulative'));
    // Minute 0: the first point in full (its series started in range) and the rise [4, 8];
    // minute 1: the rise [16], then the restarted series' [3].
    expect(rows.map((r) => [r.count, r.sum, r.points])).toEqual([
      [4, 15, 2],
      [2, 19, 2],
    ]);
  });

  it('reads summaries (always cumulative) and explicit histograms the same way', async () => {
    const summary = await db.execute(distributionStats('otel_summaries', 'rpc_duration').interval('1h'));
    // 180 and 360 from the first series (it started in range), 6 and 18 after the restart.
    expect(summary.rows).toEqual([
      {
        bucket: new Date(Date.UTC(2024, 0, 2, 12)),
        group: null,
        count: 186,
        sum: 378,
        countRate: 186 / 3600,
        sumRate: 378 / 3600,
        min: null,
        max: null,
        points: 4,
      },
    ]);
    const explicit = await db.execute(distributionStats('otel_histograms', 'fills'));
    expect(explicit.rows.map((r) => [r.count, r.sum, r.min, r.max])).toEqual([[3, 12, 1, 9]]);
  });

  it('rejects a table without distributions', async () => {
    const build = () => distributionStats('trading_metrics' as DistributionTable, 'x');
    expect((await errorOf(ValidationError, build)).field).toBe('table');
  });
});
