import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../test/support/read-table.ts';
import { tempDirectory } from '../../test/support/temp-directory.ts';
import { pointsBatch, type TestPoint, writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { OVERFLOW_ATTRIBUTES } from './series-limit.ts';

const dir = tempDirectory();
const T = 1_700_000_000_000_000_000n;

/** A point of series `key` of metric `name` (the key is the `k` label). */
const point = (name: string, key: number, value = 1, i = 0): TestPoint => ({
  name,
  time: T + BigInt(i),
  value,
  service: 'svc',
  symbol: 'BTC/USD',
  labels: { k: BigInt(key) },
});

/** Points per series of one metric: `{ '{"k":1}': 2, overflow: 3 }` (overflow series under `overflow`). */
async function pointsBySeries(db: Database, name: string): Promise<Record<string, number>> {
  const rows = await readTable(
    db,
    `SELECT CASE WHEN attributes = ? AND symbol IS NULL THEN 'overflow' ELSE attributes END AS series,
       count(*)::INTEGER AS n FROM trading_metrics WHERE name = ? GROUP BY ALL`,
    [OVERFLOW_ATTRIBUTES, name],
  );
  return Object.fromEntries(rows.map((r) => [r.series, r.n]));
}

describe('per-metric series limit', () => {
  it('folds the points of new series past the limit into one overflow series of the metric, losing none', async () => {
    await using db = await Database.open({ path: ':memory:', maxSeriesPerMetric: 3 });
    await writePoints(
      db,
      [1, 2, 3, 4, 5].map((k) => point('a', k, k)),
    );
    await writePoints(
      db,
      [1, 2].map((k) => point('b', k)),
    );
    expect(await pointsBySeries(db, 'a')).toEqual({ '{"k":1}': 1, '{"k":2}': 1, '{"k":3}': 1, overflow: 2 });
    expect(await pointsBySeries(db, 'b')).toEqual({ '{"k":1}': 1, '{"k":2}': 1 });
    const [overflow] = await readTable(
      db,
      `SELECT name, service, symbol, attributes, resource, scope, sum(value) AS total FROM trading_metrics
       WHERE attributes = ? GROUP BY ALL`,
      [OVERFLOW_ATTRIBUTES],
    );
    expect(overflow).toEqual({
      name: 'a',
      service: 'svc',
      symbol: null,
      attributes: '{"otel.metric.overflow":true}',
      resource: '{}',
      scope: '{}',
      total: 9,
    });
    expect(db.seriesLimitStats()).toEqual({
      limit: 3,
      limitedMetrics: 1,
      overflowPoints: 2,
      overflowPointsByMetric: { a: 2 },
    });
  });

  it('keeps writing the admitted series once the limit is reached, within one batch and later', async () => {
    await using db = await Database.open({ path: ':memory:', maxSeriesPerMetric: 2 });
    await writePoints(db, [point('m', 1), point('m', 2), point('m', 3), point('m', 1, 1, 1)]);
    await writePoints(db, [point('m', 2, 1, 2), point('m', 4, 1, 2), point('m', 3, 1, 3)]);
    expect(await pointsBySeries(db, 'm')).toEqual({ '{"k":1}': 2, '{"k":2}': 2, overflow: 3 });
  });

  it('counts the series stored before the database was opened (one query at open)', async () => {
    const path = dir.path('reopened.duckdb');
    {
      await using db = await Database.open({ path, maxSeriesPerMetric: 0 });
      await writePoints(
        db,
        [1, 2, 3].map((k) => point('r', k)),
      );
      expect(db.seriesLimitStats().limit).toBe(0);
    }
    await using db = await Database.open({ path, maxSeriesPerMetric: 3 });
    await writePoints(db, [point('r', 4), point('r', 2, 1, 1)]);
    expect(await pointsBySeries(db, 'r')).toEqual({ '{"k":1}': 1, '{"k":2}': 2, '{"k":3}': 1, overflow: 1 });
    expect(db.seriesLimitStats().limitedMetrics).toBe(1);
  });

  it('applies to application metrics and to the sliced batches of one export', async () => {
    await using db = await Database.open({ path: ':memory:', maxSeriesPerMetric: 1 });
    await db.insertMetrics(['ETH/USD', 'BTC/USD'].map((s) => new MetricRecord('app', 1).withSymbol(s)));
    await db.writeMetricBatches([1, 2, 3].map((k) => pointsBatch([point('sliced', k)])).values());
    const rows = await readTable(
      db,
      `SELECT name, count(*)::INTEGER AS n, count(*) FILTER (WHERE attributes = ?)::INTEGER AS overflow
       FROM trading_metrics GROUP BY name ORDER BY name`,
      [OVERFLOW_ATTRIBUTES],
    );
    expect(rows).toEqual([
      { name: 'app', n: 2, overflow: 1 },
      { name: 'sliced', n: 3, overflow: 2 },
    ]);
  });

  it('stores every point in its own series or its metric overflow series, never more series than the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(
          fc.array(fc.record({ metric: fc.constantFrom('x', 'y'), key: fc.nat(8) }), { maxLength: 12 }),
          {
            maxLength: 5,
          },
        ),
        async (limit, batches) => {
          await using db = await Database.open({ path: ':memory:', maxSeriesPerMetric: limit });
          /** Series admitted so far per metric, in the order they first arrived. */
          const admitted = new Map<string, number[]>();
          let i = 0;
          for (const batch of batches) {
            await writePoints(
              db,
              batch.map((p) => point(p.metric, p.key, 1, i++)),
            );
            for (const p of batch) {
              const keys = admitted.get(p.metric) ?? [];
              if (!keys.includes(p.key) && keys.length < limit) keys.push(p.key);
              admitted.set(p.metric, keys);
            }
          }
          for (const metric of ['x', 'y']) {
            const points = batches.flat().filter((p) => p.metric === metric);
            const keys = admitted.get(metric) ?? [];
            const expected: Record<string, number> = {};
            for (const p of points) {
              const series = keys.includes(p.key) ? `{"k":${p.key}}` : 'overflow';
              expected[series] = (expected[series] ?? 0) + 1;
            }
            expect(await pointsBySeries(db, metric)).toEqual(expected);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
