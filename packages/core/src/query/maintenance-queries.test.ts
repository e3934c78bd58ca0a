import { describe, expect, it } from 'vitest';
import { expectFrozenQuery } from '../../test/support/builder-checks.ts';
import { countRows } from '../../test/support/count-rows.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { readTable } from '../../test/support/read-table.ts';
import { sampleCandle, sampleTrade } from '../../test/support/sample-records.ts';
import { tempDirectory } from '../../test/support/temp-directory.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { deleteOlderThan, tableStatistics } from './maintenance-queries.ts';
import { DATA_TABLES, type DataTable } from './tables.ts';

const dir = tempDirectory();
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** Seeds `days` days of metrics (10 a day), trades (2 a day), candles and events (1 a day). */
async function seed(db: Database, days: number): Promise<void> {
  const metrics: MetricRecord[] = [];
  for (let d = 0; d < days; d++)
    for (let i = 0; i < 10; i++) metrics.push(new MetricRecord('m', i, T0 + d * DAY + i * 1000));
  await db.insertMetrics(metrics);
  await db.insertTrades(
    Array.from({ length: days * 2 }, (_, i) =>
      sampleTrade({ timestamp: T0 + Math.floor(i / 2) * DAY + (i % 2) * 1000 }),
    ),
  );
  await db.insertCandles(
    Array.from({ length: days }, (_, d) => sampleCandle({ interval: '1d', timestamp: T0 + d * DAY })),
  );
  await db.insertEvents(
    Array.from({ length: days }, (_, d) => ({
      severity: 'info',
      source: 's',
      message: 'm',
      timestamp: T0 + d * DAY,
    })),
  );
}

describe('tableStatistics', () => {
  it('compiles one frozen query over the allowlisted tables', () => {
    const query = tableStatistics(['trading_metrics', 'system_events']);
    expectFrozenQuery(query);
    expect(query.sql).toContain('"metric_points"');
    expect(query.sql).not.toContain('trading_trades');
  });

  it('refuses a table outside the allowlist', async () => {
    const error = await errorOf(ValidationError, () =>
      tableStatistics(['trading_metrics; DROP TABLE x' as DataTable]),
    );
    expect(error.field).toBe('table');
  });

  it('reports rows, time span and persisted size of every data table', async () => {
    const db = await Database.open(dir.path('stats.duckdb'));
    try {
      await seed(db, 5);
      await db.checkpoint();
      const stats = await db.tableStats();
      expect(stats.map((s) => s.table)).toEqual([...DATA_TABLES]);
      const byTable = Object.fromEntries(stats.map((s) => [s.table, s]));
      for (const table of DATA_TABLES) expect(byTable[table]?.rows).toBe(await countRows(db, table));
      expect(byTable.trading_metrics).toMatchObject({
        rows: 50,
        oldest: new Date(T0),
        newest: new Date(T0 + 4 * DAY + 9000),
      });
      expect(byTable.trading_trades).toMatchObject({
        rows: 10,
        oldest: new Date(T0),
        newest: new Date(T0 + 4 * DAY + 1000),
      });
      expect(byTable.otel_histograms).toEqual({
        table: 'otel_histograms',
        rows: 0,
        oldest: null,
        newest: null,
        estimatedBytes: 0,
      });
      expect(byTable.trading_metrics?.estimatedBytes).toBeGreaterThan(0);
      expect((byTable.trading_metrics?.estimatedBytes ?? 0) % 262_144).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describe('deleteOlderThan', () => {
  it('compiles a frozen query with the cutoff bound', () => {
    const query = deleteOlderThan('trading_trades', '2024-01-03T00:00:00Z');
    expectFrozenQuery(query);
    expect(query.params).toEqual(['2024-01-03 00:00:00.000000']);
  });

  it('refuses a table outside the allowlist and a bad cutoff', async () => {
    expect((await errorOf(ValidationError, () => deleteOlderThan('duckside_migrations', T0))).field).toBe(
      'table',
    );
    expect(
      (await errorOf(ValidationError, () => deleteOlderThan('trading_metrics', 'last week'))).field,
    ).toBe('cutoff');
  });

  it('deletes the rows before the cutoff of one table only and returns how many', async () => {
    const db = await Database.open(':memory:');
    try {
      await seed(db, 5);
      const cutoff = T0 + 2 * DAY + 5000;
      expect(await db.deleteOlderThan('trading_metrics', cutoff)).toBe(2 * 10 + 5);
      const left = await readTable(
        db,
        'SELECT min(epoch_ms(ts)) AS oldest, count(*)::INTEGER AS n FROM trading_metrics',
      );
      expect(left).toEqual([{ oldest: BigInt(cutoff), n: 25 }]);
      expect(await countRows(db, 'trading_trades')).toBe(10);
      for (const [table, before] of [
        ['trading_trades', 5],
        ['trading_candles', 3],
        ['system_events', 3],
      ] as const) {
        expect(await db.deleteOlderThan(table, T0 + 2 * DAY + 1)).toBe(before);
      }
      expect(await db.deleteOlderThan('trading_metrics', T0)).toBe(0);
      await errorOf(ValidationError, () => db.deleteOlderThan('nope' as DataTable, T0));
    } finally {
      await db.close();
    }
  });
});
