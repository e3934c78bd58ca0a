import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTable } from '../../test/support/read-table.ts';
import { Database } from '../database/database.ts';
import { emptyScalarPoint } from '../writers/empty-points.ts';
import { MetricBatch } from '../writers/metric-batch.ts';
import { seriesIdOfKey, seriesKeyPrefix, seriesKeySuffix } from '../writers/series-identity.ts';
import { BUILTIN_MIGRATIONS } from './builtin-migrations.ts';
import { MigrationRunner } from './migration-runner.ts';

// Version 1 rows: two points of one series (symbol NULL), one of another, plus one row of each other kind.
const WIDE_ROWS = [
  `INSERT INTO trading_metrics VALUES
    ('2024-01-02 03:04:05', 1704164645000000001, NULL, 'px', 'USD', 'price', NULL, 'svc', '{"a":1}', '{"r":"x"}', '{}', NULL, 0, 1, 0, NULL, 1.5, NULL),
    ('2024-01-02 03:04:06', 1704164646000000002, NULL, 'px', 'USD', 'price', NULL, 'svc', '{"a":1}', '{"r":"x"}', '{}', NULL, 1, 1, 0, NULL, 2.5, NULL),
    ('2024-01-02 03:04:07', 1704164647000000003, 1704164600000000000, 'orders', '', '', 'BTC/USD', NULL, '{"symbol":"BTC/USD"}', '{}', '{"name":"s"}', '[{"value":1}]', 0, 2, 2, true, 3, 3)`,
  `INSERT INTO otel_histograms VALUES
    ('2024-01-02 03:04:05', 1704164645000000000, NULL, 'lat', 'ms', '', NULL, 'svc', '{}', '{"r":"x"}', '{}', NULL, 0, 1, 2, 3.0, 1.0, 2.0, [1, 1, 0], [1.0, 2.0])`,
  `INSERT INTO otel_exp_histograms VALUES
    ('2024-01-02 03:04:05', 1704164645000000000, NULL, 'elat', 'ms', '', NULL, 'svc', '{}', '{"r":"x"}', '{}', NULL, 0, 1, 1, 1.0, 1.0, 1.0, 2, 0, 0.0, 1, [1], 0, [])`,
  `INSERT INTO otel_summaries VALUES
    ('2024-01-02 03:04:05', 1704164645000000000, NULL, 'sum', '', '', NULL, NULL, '{}', '{}', '{}', NULL, 0, 4, 10.0, [0.5], [2.5])`,
];

const VIEWS = ['trading_metrics', 'otel_histograms', 'otel_exp_histograms', 'otel_summaries'];

let db: Database;
beforeEach(async () => {
  db = await Database.open({ path: ':memory:', initialize: false });
  await db.withConnection((c) => new MigrationRunner(c, BUILTIN_MIGRATIONS).up({ to: 3 }));
  await db.withConnection(async (c) => {
    for (const sql of WIDE_ROWS) await c.run(sql);
  });
});
afterEach(() => db.close());

/** Every row of every metric table (or view) in version 1 columns, in a stable order. */
async function snapshot(): Promise<Record<string, unknown>[][]> {
  const tables: Record<string, unknown>[][] = [];
  for (const view of VIEWS) {
    const rows = await readTable(db, `SELECT * FROM ${view} ORDER BY time_unix_nano`);
    tables.push(rows.map(({ series_id: _, ...row }) => row));
  }
  return tables;
}

describe('migration 4 (series stored once)', () => {
  it('moves every row into series and points, reads back the same through the views, and moves back down', async () => {
    const before = await snapshot();
    await db.initialize();
    expect(await snapshot()).toEqual(before);
    const series = await readTable(db, 'SELECT count(*)::INTEGER AS n FROM metric_series');
    expect(series).toEqual([{ n: 5 }]);
    expect(await readTable(db, 'SELECT count(*)::INTEGER AS n FROM metric_points')).toEqual([{ n: 3 }]);
    expect((await db.verify()).ok).toBe(true);

    await db.withConnection((c) => new MigrationRunner(c, BUILTIN_MIGRATIONS).down({ to: 3 }));
    expect(await snapshot()).toEqual(before);
    const tables = await readTable(
      db,
      "SELECT table_name FROM duckdb_tables() WHERE table_name IN ('metric_series', 'metric_points')",
    );
    expect(tables).toEqual([]);
  });

  it('gives moved series the id the writers derive, so later points join the same series', async () => {
    await db.initialize();
    const [row] = await readTable(db, "SELECT series_id FROM metric_series WHERE name = 'px'");
    const identity = {
      name: 'px',
      unit: 'USD',
      description: 'price',
      service: 'svc',
      resource: '{"r":"x"}',
      scope: '{}',
    };
    const expected = seriesIdOfKey(
      `${seriesKeyPrefix(identity)}\u001f\u001d${seriesKeySuffix(null, '{"a":1}')}`,
    );
    expect(row?.series_id).toBe(expected);
    const batch = new MetricBatch();
    const point = emptyScalarPoint();
    point.timeMicros = 1_704_164_700_000_000;
    point.attributes = '{"a":1}';
    point.value = 4.5;
    batch.pushScalar(identity, point);
    await db.writeMetricBatch(batch);
    expect(await readTable(db, 'SELECT count(*)::INTEGER AS n FROM metric_series')).toEqual([{ n: 5 }]);
    const px = await readTable(db, "SELECT count(*)::INTEGER AS n FROM trading_metrics WHERE name = 'px'");
    expect(px).toEqual([{ n: 3 }]);
  });
});
