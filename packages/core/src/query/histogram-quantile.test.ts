import { mulberry32 } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectBucketedImmutable,
  expectLabelLikeSymbol,
  expectQuantileChecks,
} from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { encodeAttributes } from '../attributes/attributes.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { MetricBatch, Temporality } from '../writers/metric-batch.ts';
import { histogramQuantiles } from './histogram-quantile.ts';

const T0 = Date.UTC(2024, 0, 2, 12, 0);

interface TestHistogram {
  name: string;
  timeMs: number;
  symbol: string;
  bounds: number[];
  counts: number[];
  /** Delta unless given. */
  temporality?: typeof Temporality.Delta | typeof Temporality.Cumulative;
  startMs?: number;
}

function writeHistograms(db: Database, points: TestHistogram[]): Promise<void> {
  const batch = new MetricBatch();
  for (const p of points) {
    batch.pushHistogram(
      { name: p.name, description: '', unit: 'ms', service: 'oms', resource: '{}', scope: '{}' },
      {
        timeMicros: p.timeMs * 1000,
        timeNanos: 0,
        startMicros: p.startMs === undefined ? null : p.startMs * 1000,
        startNanos: 0,
        attributes: encodeAttributes({ symbol: p.symbol }),
        symbol: p.symbol,
        exemplars: null,
        flags: 0,
        temporality: p.temporality ?? Temporality.Delta,
        count: p.counts.reduce((a, b) => a + b, 0),
        sum: null,
        min: null,
        max: null,
        bucketCounts: p.counts,
        explicitBounds: p.bounds,
      },
    );
  }
  return db.writeMetricBatch(batch);
}

/** Prometheus-style estimate: linear inside the bucket holding rank q*total; the overflow bucket gives the last bound. */
function estimate(bounds: number[], counts: number[], q: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    cumulative += c;
    if (cumulative < rank) continue;
    if (i >= bounds.length) return bounds[bounds.length - 1] as number;
    const lower = i === 0 ? Math.min(0, bounds[0] as number) : (bounds[i - 1] as number);
    const upper = bounds[i] as number;
    return lower + (upper - lower) * (c === 0 ? 1 : (rank - (cumulative - c)) / c);
  }
  throw new Error('rank beyond the total');
}

const sumCounts = (lists: number[][]) => lists.reduce((acc, l) => acc.map((v, i) => v + (l[i] ?? 0)));

// Values 1..1000 spread uniformly over ten buckets of width 100, reported by four points in the same minute.
const UNIFORM_BOUNDS = Array.from({ length: 10 }, (_, i) => (i + 1) * 100);
const uniform: TestHistogram[] = [0, 1, 2, 3].map((k) => ({
  name: 'uniform_latency',
  timeMs: T0 + k * 10_000,
  symbol: 'BTC/USD',
  bounds: UNIFORM_BOUNDS,
  counts: [...UNIFORM_BOUNDS.map(() => 25), 0],
}));

const rand = mulberry32(5);
const RANDOM_BOUNDS = [0.5, 1, 2.5, 5, 10, 25, 50];
const random: TestHistogram[] = Array.from({ length: 60 }, (_, i) => ({
  name: 'order_latency',
  timeMs: T0 + i * 7000,
  symbol: i % 2 === 0 ? 'BTC/USD' : 'ETH/USD',
  bounds: RANDOM_BOUNDS,
  counts: [...RANDOM_BOUNDS, Number.POSITIVE_INFINITY].map(() => Math.floor(rand() * 20)),
}));

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await writeHistograms(db, [...uniform, ...random]);
  await writeHistograms(db, [
    { name: 'overflowing', timeMs: T0, symbol: 'X', bounds: [1, 2], counts: [1, 1, 98] },
  ]);
});
afterAll(() => db.close());

describe('histogramQuantiles', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectBucketedImmutable(histogramQuantiles('x'), T0, [(b) => b.quantiles([0.5])]);
  });

  it('recovers the quantiles of a known uniform distribution', async () => {
    const { rows } = await db.execute(
      histogramQuantiles('uniform_latency').quantiles([0.25, 0.5, 0.95, 0.99]),
    );
    expect(rows).toEqual(
      [0.25, 0.5, 0.95, 0.99].map((q) => ({
        bucket: new Date(T0),
        group: null,
        quantile: q,
        value: expect.closeTo(q * 1000, 9),
        count: 1000,
      })),
    );
  });

  it('matches the bucket-interpolation estimate per minute and symbol', async () => {
    const qs = [0.1, 0.5, 0.9, 0.99];
    const { rows } = await db.execute(
      histogramQuantiles('order_latency').quantiles(qs).groupBy({ by: 'symbol' }),
    );
    const expected: { bucket: number; group: string; quantile: number; value: number; count: number }[] = [];
    for (let minute = 0; minute < 7; minute++) {
      for (const symbol of ['BTC/USD', 'ETH/USD']) {
        const inBucket = random.filter(
          (p) =>
            p.symbol === symbol && p.timeMs >= T0 + minute * 60_000 && p.timeMs < T0 + (minute + 1) * 60_000,
        );
        if (inBucket.length === 0) continue;
        const counts = sumCounts(inBucket.map((p) => p.counts));
        for (const q of qs) {
          expected.push({
            bucket: T0 + minute * 60_000,
            group: symbol,
            quantile: q,
            value: estimate(RANDOM_BOUNDS, counts, q),
            count: counts.reduce((a, b) => a + b, 0),
          });
        }
      }
    }
    expect(rows.map((r) => [r.bucket.getTime(), r.group, r.quantile, r.count])).toEqual(
      expected.map((e) => [e.bucket, e.group, e.quantile, e.count]),
    );
    rows.forEach((r, i) => {
      expect(r.value).toBeCloseTo(expected[i]?.value as number, 9);
    });
  });

  it('filters by symbol and time range', async () => {
    const { rows } = await db.execute(
      histogramQuantiles('order_latency')
        .quantiles([0.5])
        .symbol('ETH/USD')
        .between(T0, T0 + 120_000)
        .interval('5m'),
    );
    const counts = sumCounts(
      random.filter((p) => p.symbol === 'ETH/USD' && p.timeMs < T0 + 120_000).map((p) => p.counts),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value).toBeCloseTo(estimate(RANDOM_BOUNDS, counts, 0.5), 9);
  });

  it('filters by label like by symbol, and refuses too many buckets', async () => {
    await expectLabelLikeSymbol(db, histogramQuantiles, 'order_latency', 'ETH/USD');
  });

  it('uses the per-series rises of cumulative points, counting a restart in full', async () => {
    const bounds = [10, 20, 30];
    const cumulative = (second: number, counts: number[], startMs: number): TestHistogram => ({
      name: 'cumulative_latency',
      timeMs: T0 + second * 1000,
      symbol: 'BTC/USD',
      bounds,
      counts,
      temporality: Temporality.Cumulative,
      startMs,
    });
    const started = T0 - 1000;
    const restarted = T0 + 100_000;
    await writeHistograms(db, [
      cumulative(0, [10, 0, 0, 0], started),
      cumulative(30, [10, 5, 0, 0], started),
      cumulative(60, [12, 5, 20, 0], started),
      cumulative(110, [1, 1, 1, 1], restarted),
    ]);
    const qs = [0.25, 0.5, 0.9];
    const { rows } = await db.execute(histogramQuantiles('cumulative_latency').quantiles(qs));
    // Minute 0: the first point in full (its series started in range) plus the rise [0, 5, 0, 0];
    // minute 1: the rise [2, 0, 20, 0], then the restarted series' counts in full.
    const minutes = [
      [10, 5, 0, 0],
      [3, 1, 21, 1],
    ];
    expect(rows.map((r) => [r.bucket.getTime(), r.quantile, r.count])).toEqual(
      minutes.flatMap((counts, m) => qs.map((q) => [T0 + m * 60_000, q, counts.reduce((a, b) => a + b, 0)])),
    );
    rows.forEach((r, i) => {
      const counts = minutes[Math.floor(i / qs.length)] as number[];
      expect(r.value).toBeCloseTo(estimate(bounds, counts, qs[i % qs.length] as number), 9);
    });
  });

  it('returns the last bound for ranks in the overflow bucket', async () => {
    const { rows } = await db.execute(histogramQuantiles('overflowing').quantiles([0.01, 0.5]));
    expect(rows.map((r) => r.value)).toEqual([estimate([1, 2], [1, 1, 98], 0.01), 2]);
  });

  it('rejects bad quantiles and an empty label key naming the field', async () => {
    await expectQuantileChecks((q) => histogramQuantiles('x').quantiles(q));
    const emptyKey = () => histogramQuantiles('x').groupBy({ by: 'label', key: '' });
    expect((await errorOf(ValidationError, emptyKey)).field).toBe('label');
  });
});
