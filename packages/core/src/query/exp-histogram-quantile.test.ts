import { mulberry32 } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectBucketedImmutable,
  expectLabelLikeSymbol,
  expectQuantileChecks,
} from '../../test/support/builder-checks.ts';
import { nearestRank, type TestExpHistogram, writeExpHistograms } from '../../test/support/exp-histograms.ts';
import { Database } from '../database/database.ts';
import { Temporality } from '../writers/metric-batch.ts';
import { expHistogramQuantiles } from './exp-histogram-quantile.ts';

const T0 = Date.UTC(2024, 0, 2, 12, 0);
const QS = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];
const rand = mulberry32(21);
const latency = () => Math.exp(rand() * 8 - 2);

/** Checks an estimate against the true quantile: both in one bucket of `scale`, so their ratio is within base. */
function expectWithinBucket(estimate: number | null, truth: number, scale: number): void {
  const base = 2 ** (2 ** -scale);
  expect(Math.sign(estimate as number)).toBe(Math.sign(truth));
  const ratio = (estimate as number) / truth;
  expect(Math.max(ratio, 1 / ratio)).toBeLessThanOrEqual(base * (1 + 1e-12));
}

// Six points per minute over five minutes, two symbols, at three scales that the merge must reconcile.
const SCALES = [6, 3, 4];
const random: TestExpHistogram[] = Array.from({ length: 30 }, (_, i) => ({
  name: 'order_latency',
  timeMs: T0 + i * 10_000,
  symbol: i % 2 === 0 ? 'BTC/USD' : 'ETH/USD',
  scale: SCALES[i % 3] as number,
  values: Array.from({ length: 20 + Math.floor(rand() * 200) }, latency),
}));

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await writeExpHistograms(db, random);
});
afterAll(() => db.close());

describe('expHistogramQuantiles', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectBucketedImmutable(expHistogramQuantiles('x'), T0, [(b) => b.quantiles([0.5])]);
  });

  it('merges points of three scales per minute and symbol within the coarsest bucket of the truth', async () => {
    const { rows } = await db.execute(
      expHistogramQuantiles('order_latency').quantiles(QS).groupBy({ by: 'symbol' }),
    );
    const expected: [number, string, number, number][] = [];
    for (let minute = 0; minute < 5; minute++) {
      for (const symbol of ['BTC/USD', 'ETH/USD']) {
        const start = T0 + minute * 60_000;
        const points = random.filter(
          (p) => p.symbol === symbol && p.timeMs >= start && p.timeMs < start + 60_000,
        );
        for (const q of QS) expected.push([start, symbol, q, points.flatMap((p) => p.values).length]);
      }
    }
    expect(rows.map((r) => [r.bucket.getTime(), r.group, r.quantile, r.count])).toEqual(expected);
    for (const row of rows) {
      const start = row.bucket.getTime();
      const points = random.filter(
        (p) => p.symbol === row.group && p.timeMs >= start && p.timeMs < start + 60_000,
      );
      expectWithinBucket(
        row.value,
        nearestRank(
          points.flatMap((p) => p.values),
          row.quantile,
        ),
        3,
      );
    }
  });

  it('is exact at the interpolation points of one bucket: log-linear inside (base^i, base^(i+1)]', async () => {
    // Scale 0: base 2. Four values in bucket 1, (2, 4]: rank 2 of 4 is half way, 2^1.5.
    await writeExpHistograms(db, [
      { name: 'one_bucket', timeMs: T0, symbol: 'X', scale: 0, values: [2.5, 3, 3.5, 4] },
    ]);
    const { rows } = await db.execute(expHistogramQuantiles('one_bucket').quantiles([0, 0.25, 0.5, 1]));
    expect(rows.map((r) => r.value)).toEqual([2, 2 ** 1.25, 2 ** 1.5, 4].map((v) => expect.closeTo(v, 12)));
  });

  it('orders negative, zero and positive buckets and interpolates the zero bucket linearly', async () => {
    const values = Array.from({ length: 400 }, () => (rand() < 0.4 ? -latency() : latency()));
    values.push(0, 0, 0, 0.05, -0.05);
    await writeExpHistograms(db, [
      { name: 'slippage', timeMs: T0, symbol: 'X', scale: 4, zeroThreshold: 0.1, values },
    ]);
    const { rows } = await db.execute(expHistogramQuantiles('slippage').quantiles(QS));
    expect(rows.every((r) => r.count === values.length)).toBe(true);
    for (const row of rows) {
      const truth = nearestRank(values, row.quantile);
      if (Math.abs(truth) <= 0.1) expect(Math.abs(row.value as number)).toBeLessThanOrEqual(0.1);
      else expectWithinBucket(row.value, truth, 4);
    }
    // Zero bucket only (no negative buckets): the rank's fraction of [0, threshold].
    await writeExpHistograms(db, [
      { name: 'zeros', timeMs: T0, symbol: 'X', scale: 0, zeroThreshold: 1, values: [0, 0, 0.5, 1] },
    ]);
    const zeros = await db.execute(expHistogramQuantiles('zeros').quantiles([0.5, 1]));
    expect(zeros.rows.map((r) => r.value)).toEqual([0.5, 1]);
  });

  it('moves buckets inside the widest zero threshold of a merge into the zero bucket', async () => {
    await writeExpHistograms(db, [
      { name: 'thresholds', timeMs: T0, symbol: 'X', scale: 0, values: [0.3, 0.3, 8] },
      { name: 'thresholds', timeMs: T0 + 1000, symbol: 'X', scale: 0, zeroThreshold: 1, values: [0.9, 0.2] },
    ]);
    const { rows } = await db.execute(expHistogramQuantiles('thresholds').quantiles([0.2, 0.8, 1]));
    // Zero bucket [0, 1] holds 4 of 5 (0.3 and 0.3 are in (0.25, 0.5], wholly inside); 8 is in (4, 8].
    expect(rows.map((r) => r.value)).toEqual([0.25, 1, 8]);
    expect(rows[0]?.count).toBe(5);
  });

  it('uses per-series rises of cumulative points across a downscale and counts a restart in full', async () => {
    const series = (second: number, values: number[], scale: number, startMs: number): TestExpHistogram => ({
      name: 'cumulative_latency',
      timeMs: T0 + second * 1000,
      symbol: 'BTC/USD',
      scale,
      values,
      temporality: Temporality.Cumulative,
      startMs,
    });
    const minute0 = Array.from({ length: 300 }, latency);
    const minute1 = Array.from({ length: 500 }, latency);
    const restarted = Array.from({ length: 100 }, latency);
    const afterRestart = Array.from({ length: 50 }, latency);
    await writeExpHistograms(db, [
      series(0, minute0.slice(0, 100), 6, T0 - 1000),
      series(30, minute0, 6, T0 - 1000),
      // The SDK downscaled: the rise is taken at scale 3 for both points.
      series(70, [...minute0, ...minute1], 3, T0 - 1000),
      series(100, restarted, 5, T0 + 90_000),
      // A rise right after the restart, in the same minute.
      series(110, [...restarted, ...afterRestart], 5, T0 + 90_000),
    ]);
    const { rows } = await db.execute(expHistogramQuantiles('cumulative_latency').quantiles(QS));
    const minutes = [minute0, [...minute1, ...restarted, ...afterRestart]];
    expect(rows.map((r) => [r.bucket.getTime(), r.count])).toEqual(
      minutes.flatMap((values, m) => QS.map(() => [T0 + m * 60_000, values.length])),
    );
    rows.forEach((row, i) => {
      expectWithinBucket(
        row.value,
        nearestRank(minutes[Math.floor(i / QS.length)] as number[], row.quantile),
        3,
      );
    });
    // From inside the series: its first point in range (30 s) only serves as the baseline of the next.
    const later = await db.execute(
      expHistogramQuantiles('cumulative_latency')
        .quantiles([0.5])
        .between(T0 + 20_000, T0 + 80_000)
        .interval('1h'),
    );
    expect(later.rows.map((r) => r.count)).toEqual([minute1.length]);
    expectWithinBucket(later.rows[0]?.value ?? null, nearestRank(minute1, 0.5), 3);
  });

  it('filters by label like by symbol, and refuses too many buckets', async () => {
    await expectLabelLikeSymbol(db, expHistogramQuantiles, 'order_latency', 'ETH/USD');
  });

  it('rejects bad quantiles naming the field', async () => {
    await expectQuantileChecks((q) => expHistogramQuantiles('x').quantiles(q));
  });
});
