import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectImmutable } from '../../test/support/builder-checks.ts';
import { writeExpHistograms } from '../../test/support/exp-histograms.ts';
import { writeSmallHistogram } from '../../test/support/small-histogram.ts';
import { writeSummaries } from '../../test/support/summaries.ts';
import { writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import { Temporality } from '../writers/metric-batch.ts';
import { metricKindsOf } from './metric-kinds.ts';
import { selectPoints } from './point-select.ts';

const T0 = Date.UTC(2024, 0, 2, 12, 0);
const nanos = (ms: number) => BigInt(ms) * 1_000_000n;

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await writePoints(db, [
    { name: 'fill_ratio', time: nanos(T0), value: 0.5, symbol: 'BTC/USD' },
    { name: 'orders_total', time: nanos(T0 + 4000), value: 7, temporality: Temporality.Cumulative },
  ]);
  await writeExpHistograms(db, [
    {
      name: 'latency',
      timeMs: T0 + 1000,
      symbol: 'BTC/USD',
      scale: 0,
      values: [3, 3.5, -1.5],
      zeroThreshold: 0.1,
    },
  ]);
  await writeSummaries(db, [
    {
      name: 'rpc',
      timeMs: T0 + 2000,
      startMs: T0,
      symbol: 'ETH/USD',
      count: 4,
      sum: 10,
      quantiles: { 0.5: 2, 0.99: 4 },
    },
  ]);
  await writeSmallHistogram(db, 'sizes', T0 + 3000);
});
afterAll(() => db.close());

describe('selectPoints', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectImmutable(selectPoints(), [
      (b) => b.name('x'),
      (b) => b.symbol('BTC/USD'),
      (b) => b.service('oms'),
      (b) => b.label('venue', 'kraken'),
      (b) => b.order('asc'),
      (b) => b.between(T0, T0 + 1000),
      (b) => b.limit(5),
    ]);
  });

  it('returns points of every kind, newest first, with the fields of their kind', async () => {
    const { rows } = await db.execute(selectPoints());
    expect(rows.map((r) => [r.name, r.point_kind])).toEqual([
      ['orders_total', 'sum'],
      ['sizes', 'histogram'],
      ['rpc', 'summary'],
      ['latency', 'exponentialHistogram'],
      ['fill_ratio', 'gauge'],
    ]);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('fill_ratio')).toMatchObject({
      value: 0.5,
      symbol: 'BTC/USD',
      count: null,
      scale: null,
    });
    expect(byName.get('orders_total')).toMatchObject({ value: 7, temporality: 2, is_monotonic: true });
    expect(byName.get('sizes')).toMatchObject({
      value: null,
      temporality: 1,
      count: 3,
      sum: 12,
      min: 1,
      max: 9,
      bucket_counts: [1, 2],
      explicit_bounds: [5],
    });
    expect(byName.get('latency')).toMatchObject({
      count: 3,
      scale: 0,
      zero_count: 0,
      zero_threshold: 0.1,
      positive_offset: 1,
      positive_bucket_counts: [2],
      negative_offset: 0,
      negative_bucket_counts: [1],
      time_unix_nano: nanos(T0 + 1000),
    });
    expect(byName.get('rpc')).toMatchObject({
      count: 4,
      sum: 10,
      quantiles: [0.5, 0.99],
      quantile_values: [2, 4],
      start_time_unix_nano: nanos(T0),
      temporality: null,
    });
  });

  it('filters by name, symbol and time across kinds, orders and limits the merged list', async () => {
    const btc = await db.execute(selectPoints().symbol('BTC/USD').order('asc'));
    expect(btc.rows.map((r) => r.name)).toEqual(['fill_ratio', 'latency']);
    const window = await db.execute(
      selectPoints()
        .between(T0 + 1000, T0 + 3000)
        .limit(1),
    );
    expect(window.rows.map((r) => r.name)).toEqual(['rpc']);
    expect((await db.execute(selectPoints().name('rpc'))).rows.map((r) => r.point_kind)).toEqual(['summary']);
  });
});

describe('metricKindsOf', () => {
  it('names the kinds a metric has points under', async () => {
    expect(await db.all(metricKindsOf('latency'))).toEqual([{ kind: 'exponentialHistogram' }]);
    expect(await db.all(metricKindsOf('rpc'))).toEqual([{ kind: 'summary' }]);
    expect(await db.all(metricKindsOf('sizes'))).toEqual([{ kind: 'histogram' }]);
    expect(await db.all(metricKindsOf('fill_ratio'))).toEqual([{ kind: 'scalar' }]);
    expect(await db.all(metricKindsOf('nothing'))).toEqual([]);
  });
});
