import { mulberry32 } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketStart } from '../../test/support/bucket-start.ts';
import { expectImmutable } from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { groupBy } from '../../test/support/group-by.ts';
import { quantile } from '../../test/support/quantile.ts';
import { type TestPoint, writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import type { AggregatedMetric } from '../models/result-types.ts';
import { Temporality } from '../writers/metric-batch.ts';
import { AGGREGATIONS, type Aggregation } from './aggregations.ts';
import { aggregateMetrics } from './metric-aggregate.ts';
import type { MetricGrouping } from './metric-grouping.ts';

const MS = 1_000_000n;
const T0 = Date.UTC(2024, 0, 2, 9, 0, 0);
const rand = mulberry32(11);

/** 30 minutes of latency points every 7 s for two symbols, two exchanges and two services. */
const latency: TestPoint[] = Array.from({ length: 260 }, (_, i) => ({
  name: 'latency',
  time: BigInt(T0 + i * 7000) * MS + BigInt(i),
  value: Math.round(rand() * 100_000) / 100,
  symbol: i % 2 === 0 ? 'BTC/USD' : 'ETH/USD',
  service: i % 3 === 0 ? 'oms' : 'gateway',
  labels: { exchange: i % 5 < 2 ? 'alpaca' : 'kraken' },
}));

const SIMPLE: Record<string, (values: number[]) => number> = {
  avg: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  sum: (v) => v.reduce((a, b) => a + b, 0),
  min: (v) => Math.min(...v),
  max: (v) => Math.max(...v),
  count: (v) => v.length,
  first: (v) => v[0] as number,
  last: (v) => v[v.length - 1] as number,
  p50: (v) => quantile(v, 0.5),
  p90: (v) => quantile(v, 0.9),
  p95: (v) => quantile(v, 0.95),
  p99: (v) => quantile(v, 0.99),
};

const GROUPINGS: [string, MetricGrouping, (p: TestPoint) => string | null][] = [
  ['none', { by: 'none' }, () => null],
  ['symbol', { by: 'symbol' }, (p) => p.symbol ?? null],
  ['service', { by: 'service' }, (p) => p.service ?? null],
  ['label', { by: 'label', key: 'exchange' }, (p) => String(p.labels?.exchange)],
];

/** Buckets and groups points (time order kept) the way the query should, sorted by bucket then group. */
function bucketed(
  points: readonly TestPoint[],
  widthMs: number,
  group: (p: TestPoint) => string | null,
): { bucket: number; group: string | null; points: TestPoint[] }[] {
  const sorted = [...points].sort((a, b) => (a.time < b.time ? -1 : 1));
  const groups = groupBy(sorted, (p) =>
    JSON.stringify([bucketStart(Number(p.time / MS), widthMs), group(p)]),
  );
  return [...groups]
    .map(([key, list]) => {
      const [bucket, g] = JSON.parse(key) as [number, string | null];
      return { bucket, group: g, points: list };
    })
    .sort((a, b) => a.bucket - b.bucket || String(a.group).localeCompare(String(b.group)));
}

function expectRows(
  rows: AggregatedMetric[],
  expected: { bucket: number; group: string | null; value: number; samples: number }[],
) {
  expect(rows.map((r) => [r.bucket.getTime(), r.group, r.samples])).toEqual(
    expected.map((e) => [e.bucket, e.group, e.samples]),
  );
  rows.forEach((row, i) => {
    expect(row.value).toBeCloseTo(expected[i]?.value as number, 6);
  });
}

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await writePoints(db, latency);
});
afterAll(() => db.close());

describe('aggregateMetrics', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectImmutable(aggregateMetrics('latency'), [
      (b) => b.interval('5m'),
      (b) => b.fn('p99'),
      (b) => b.fn('rate'),
      (b) => b.groupBy({ by: 'label', key: 'exchange' }),
      (b) => b.symbol('BTC/USD'),
      (b) => b.label('exchange', 'alpaca'),
      (b) => b.between('2024-01-02T09:00:00Z', '2024-01-02T10:00:00Z'),
      (b) => b.limit(3),
    ]);
  });

  it('covers every aggregation in these tests', () => {
    expect([...Object.keys(SIMPLE), 'rate', 'increase'].sort()).toEqual([...AGGREGATIONS].sort());
  });

  for (const [name, grouping, group] of GROUPINGS) {
    it(`computes avg, sum, min, max, count, first, last and percentiles per 5-minute bucket, grouped by ${name}`, async () => {
      const expectedBuckets = bucketed(latency, 5 * 60_000, group);
      for (const fn of Object.keys(SIMPLE) as Aggregation[]) {
        const { rows } = await db.execute(
          aggregateMetrics('latency').interval('5m').fn(fn).groupBy(grouping),
        );
        expectRows(
          rows,
          expectedBuckets.map((b) => ({
            bucket: b.bucket,
            group: b.group,
            value: (SIMPLE[fn] as (v: number[]) => number)(b.points.map((p) => p.value)),
            samples: b.points.length,
          })),
        );
      }
    });
  }

  it('filters by symbol, label and time range before bucketing', async () => {
    const from = T0 + 60_000;
    const to = T0 + 20 * 60_000;
    const { rows } = await db.execute(
      aggregateMetrics('latency')
        .interval('1m')
        .symbol('ETH/USD')
        .label('exchange', 'kraken')
        .between(from, to),
    );
    const kept = latency.filter(
      (p) =>
        p.symbol === 'ETH/USD' &&
        p.labels?.exchange === 'kraken' &&
        p.time >= BigInt(from) * MS &&
        p.time < BigInt(to) * MS,
    );
    expectRows(
      rows,
      bucketed(kept, 60_000, () => null).map((b) => ({
        bucket: b.bucket,
        group: null,
        value: SIMPLE.avg?.(b.points.map((p) => p.value)) as number,
        samples: b.points.length,
      })),
    );
  });

  it.each([
    ['1s', 1000],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1w', 7 * 86_400_000],
  ])('buckets by %s', async (interval, widthMs) => {
    const { rows } = await db.execute(aggregateMetrics('latency').interval(interval).fn('count'));
    const expected = bucketed(latency, widthMs, () => null);
    expect(rows.map((r) => [r.bucket.getTime(), r.value])).toEqual(
      expected.map((b) => [b.bucket, b.points.length]),
    );
  });

  it('buckets by calendar month', async () => {
    const monthly = await Database.open(':memory:');
    try {
      const days = [
        '2024-01-15T10:00:00Z',
        '2024-02-01T00:00:00Z',
        '2024-02-29T23:59:59Z',
        '2024-03-31T23:59:59Z',
      ];
      await writePoints(
        monthly,
        days.map((d, i) => ({ name: 'm', time: BigInt(Date.parse(d)) * MS, value: i + 1 })),
      );
      const { rows } = await monthly.execute(aggregateMetrics('m').interval('1M').fn('sum'));
      expect(rows.map((r) => [r.bucket.toISOString(), r.value, r.samples])).toEqual([
        ['2024-01-01T00:00:00.000Z', 1, 1],
        ['2024-02-01T00:00:00.000Z', 5, 2],
        ['2024-03-01T00:00:00.000Z', 4, 1],
      ]);
    } finally {
      await monthly.close();
    }
  });

  it('limits rows and refuses ranges with too many buckets', async () => {
    const { rows } = await db.execute(aggregateMetrics('latency').interval('1m').limit(4));
    expect(rows.map((r) => r.bucket.getTime())).toEqual(
      bucketed(latency, 60_000, () => null)
        .slice(0, 4)
        .map((b) => b.bucket),
    );
    const tooMany = aggregateMetrics('latency')
      .interval('1s')
      .between(T0, T0 + 86_400_000)
      .maxBuckets(1000);
    expect((await errorOf(ValidationError, () => tooMany.compile())).field).toBe('interval');
  });

  it.each([
    ['an unknown function', () => aggregateMetrics('x').fn('median' as Aggregation), 'fn'],
    ['a bad interval', () => aggregateMetrics('x').interval('1y'), 'interval'],
    ['an empty label key', () => aggregateMetrics('x').groupBy({ by: 'label', key: '' }), 'label'],
    ['an empty name', () => aggregateMetrics(''), 'name'],
    ['a zero bucket bound', () => aggregateMetrics('x').maxBuckets(0), 'maxBuckets'],
    ['an empty service', () => aggregateMetrics('x').service(''), 'service'],
    ['a relative time in months', () => aggregateMetrics('x').between('now-1M', undefined), 'from'],
  ])('rejects %s naming the field', async (_what, build, field) => {
    expect((await errorOf(ValidationError, build)).field).toBe(field);
  });
});

describe('aggregateMetrics rate and increase', () => {
  const C0 = Date.UTC(2024, 0, 3, 0, 0, 0);
  const START_A = BigInt(C0 - 3_600_000) * MS;
  const START_B = BigInt(C0 + 25_000) * MS;
  /** Cumulative counters sampled every 10 s for two symbols, interleaved; BTC resets at 30 s and restarts at 95 s. */
  const counters: TestPoint[] = [];
  const btc = [100, 110, 120, 5, 15, 25, 40, 60, 61, 200, 210, 230];
  const eth = [1000, 1001, 1003, 1006, 1010, 1015, 1021, 1028, 1036, 1045, 1055, 1066];
  for (const [i, value] of btc.entries()) {
    counters.push({
      name: 'orders_total',
      time: BigInt(C0 + i * 10_000) * MS,
      value,
      symbol: 'BTC/USD',
      temporality: Temporality.Cumulative,
      // The start time changes at the reset (30 s) and again at 90 s, where the value does not drop.
      start: i < 3 ? START_A : i < 9 ? START_B : BigInt(C0 + 85_000) * MS,
    });
  }
  for (const [i, value] of eth.entries()) {
    counters.push({
      name: 'orders_total',
      time: BigInt(C0 + i * 10_000 + 5000) * MS,
      value,
      symbol: 'ETH/USD',
      temporality: Temporality.Cumulative,
      start: START_A,
    });
  }
  /** Delta points: each value is already the increase. */
  const deltas: TestPoint[] = [3, 4, 5, 6].map((value, i) => ({
    name: 'fills_delta',
    time: BigInt(C0 + i * 40_000) * MS,
    value,
    symbol: 'BTC/USD',
    temporality: Temporality.Delta,
  }));

  /**
   * Increase per (minute, symbol) of the points at or after `from`: a series' first point counts in full when its
   * start time is at or after `from` (any known start when there is no `from`), else 0; then a drop or a new start
   * time counts the value, else the rise.
   */
  function expectedIncrease(points: TestPoint[], bySymbol: boolean, from?: number) {
    const contributions: { bucket: number; group: string | null; delta: number }[] = [];
    const inRange = points.filter((p) => from === undefined || p.time >= BigInt(from) * MS);
    const startedInRange = (p: TestPoint) =>
      p.start != null && (from === undefined || p.start >= BigInt(from) * MS);
    for (const series of groupBy(inRange, (p) => String(p.symbol)).values()) {
      series.forEach((p, i) => {
        const prev = series[i - 1];
        const delta =
          p.temporality === Temporality.Delta
            ? p.value
            : prev === undefined
              ? startedInRange(p)
                ? p.value
                : 0
              : p.value < prev.value || p.start !== prev.start
                ? p.value
                : p.value - prev.value;
        contributions.push({
          bucket: bucketStart(Number(p.time / MS), 60_000),
          group: bySymbol ? (p.symbol ?? null) : null,
          delta,
        });
      });
    }
    const sums = groupBy(contributions, (c) => JSON.stringify([c.bucket, c.group]));
    return [...sums.values()]
      .map((list) => ({
        bucket: list[0]?.bucket as number,
        group: list[0]?.group ?? null,
        value: list.reduce((a, c) => a + c.delta, 0),
        samples: list.length,
      }))
      .sort((a, b) => a.bucket - b.bucket || String(a.group).localeCompare(String(b.group)));
  }

  beforeAll(async () => {
    await writePoints(db, [...counters, ...deltas]);
  });

  it('computes the increase per bucket across counter resets, per symbol', async () => {
    const { rows } = await db.execute(
      aggregateMetrics('orders_total').fn('increase').groupBy({ by: 'symbol' }),
    );
    const expected = expectedIncrease(counters, true);
    // Sanity of the oracle: BTC gains its first 100, then 10+10+5+10+10+15+20+1+200+10+20, over two minutes.
    expect(expected.filter((e) => e.group === 'BTC/USD').reduce((a, e) => a + e.value, 0)).toBe(411);
    expectRows(rows, expected);
  });

  it('does not mix series of different symbols when ungrouped', async () => {
    const { rows } = await db.execute(aggregateMetrics('orders_total').fn('increase'));
    expectRows(rows, expectedIncrease(counters, false));
  });

  it('computes the rate per second of the bucket width', async () => {
    const { rows } = await db.execute(aggregateMetrics('orders_total').fn('rate').groupBy({ by: 'symbol' }));
    expectRows(
      rows,
      expectedIncrease(counters, true).map((e) => ({ ...e, value: e.value / 60 })),
    );
  });

  it.each([
    ['before both series started (their first points are baselines)', 20_000],
    ['after the BTC restart (its first point counts in full)', 22_000],
  ])(
    'counts the first point in range only for a series that started in range: from %s',
    async (_what, offset) => {
      const from = C0 + offset;
      const { rows } = await db.execute(
        aggregateMetrics('orders_total')
          .fn('increase')
          .groupBy({ by: 'symbol' })
          .between(from, C0 + 600_000),
      );
      expectRows(rows, expectedIncrease(counters, true, from));
    },
  );

  it('sums delta points as they are', async () => {
    const { rows } = await db.execute(aggregateMetrics('fills_delta').fn('increase'));
    expectRows(rows, expectedIncrease(deltas, false));
    expect(rows.map((r) => r.value)).toEqual([3 + 4, 5, 6]);
  });
});
