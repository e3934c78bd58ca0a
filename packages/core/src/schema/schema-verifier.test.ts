import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../database/database.ts';
import { BUILTIN_MIGRATIONS } from './builtin-migrations.ts';
import type { Migration } from './migration.ts';
import { MigrationRunner } from './migration-runner.ts';
import { verifySchema } from './schema-verifier.ts';

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
});
afterEach(() => db.close());

const run = (...statements: string[]) =>
  db.withConnection(async (c) => {
    for (const sql of statements) await c.run(sql);
  });

describe('verifySchema', () => {
  it('passes on a database at the latest version', async () => {
    const latest = (BUILTIN_MIGRATIONS[BUILTIN_MIGRATIONS.length - 1] as Migration).version;
    expect(await db.verify()).toEqual({
      ok: true,
      currentVersion: latest,
      expectedVersion: latest,
      differences: [],
    });
  });

  it('reports exactly a dropped column, a changed type, a missing table and an unexpected column', async () => {
    await run(
      'ALTER TABLE trading_trades DROP COLUMN fee',
      'ALTER TABLE trading_candles ALTER COLUMN volume TYPE FLOAT',
      'DROP TABLE duckside_import_watermarks',
      'ALTER TABLE system_events ADD COLUMN extra INTEGER',
    );
    const report = await db.verify();
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual([
      {
        kind: 'missing_table',
        table: 'duckside_import_watermarks',
        detail: 'table duckside_import_watermarks does not exist',
      },
      { kind: 'unexpected_column', table: 'system_events', detail: 'extra' },
      {
        kind: 'different_column',
        table: 'trading_candles',
        detail: 'volume: expected DOUBLE NOT NULL, found FLOAT NOT NULL',
      },
      { kind: 'missing_column', table: 'trading_trades', detail: 'fee DOUBLE NOT NULL DEFAULT 0' },
    ]);
  });

  it('reports a changed default and nullability', async () => {
    await run(
      "ALTER TABLE metric_series ALTER COLUMN unit SET DEFAULT 'ms'",
      'ALTER TABLE trading_trades ALTER COLUMN venue DROP NOT NULL',
    );
    const report = await db.verify();
    expect(report.differences.map((d) => [d.kind, d.table, d.detail.split(':')[0]])).toEqual([
      ['different_column', 'metric_series', 'unit'],
      ['different_column', 'trading_trades', 'venue'],
    ]);
  });

  it('reports a missing primary key (re-sent candles would duplicate)', async () => {
    await run(
      'DROP TABLE trading_candles',
      `CREATE TABLE trading_candles (symbol VARCHAR NOT NULL, venue VARCHAR NOT NULL, interval VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL, open DOUBLE NOT NULL, high DOUBLE NOT NULL, low DOUBLE NOT NULL, close DOUBLE NOT NULL,
        volume DOUBLE NOT NULL)`,
    );
    const report = await db.verify();
    expect(report.differences).toEqual([
      {
        kind: 'missing_constraint',
        table: 'trading_candles',
        detail: 'PRIMARY KEY (symbol, venue, interval, ts)',
      },
    ]);
  });

  it('is not ok when the database is behind the latest version', async () => {
    const behind = await Database.open({ path: ':memory:', initialize: false });
    try {
      await behind.withConnection((c) => new MigrationRunner(c, BUILTIN_MIGRATIONS).up({ to: 3 }));
      const report = await behind.verify();
      expect(report.ok).toBe(false);
      expect(report.currentVersion).toBe(3);
      const missing = report.differences.filter((d) => d.kind === 'missing_table').map((d) => d.table);
      expect(missing.sort()).toEqual([
        'exp_histogram_points',
        'histogram_points',
        'metric_points',
        'metric_series',
        'rollup_dirty',
        'rollup_histograms',
        'rollup_levels',
        'rollup_metrics',
        'rollup_pending_histograms',
        'rollup_pending_metrics',
        'rollup_pending_trades',
        'rollup_state',
        'rollup_trades',
        'summary_points',
      ]);
      // The version 1 tables lack the column their version 4 views add.
      expect(report.differences).toContainEqual(
        expect.objectContaining({ kind: 'missing_column', table: 'trading_metrics' }),
      );
    } finally {
      await behind.close();
    }
  });

  it('verifies against a given migration list', async () => {
    const extra: Migration[] = [
      ...BUILTIN_MIGRATIONS,
      {
        version: 99,
        name: 'add_notes',
        up: 'CREATE TABLE notes (body VARCHAR NOT NULL);',
        down: 'DROP TABLE notes;',
      },
    ];
    const before = await db.withConnection((c) => verifySchema(c, extra));
    expect(before).toMatchObject({
      ok: false,
      currentVersion: BUILTIN_MIGRATIONS.at(-1)!.version,
      expectedVersion: 99,
    });
    expect(before.differences).toEqual([
      { kind: 'missing_table', table: 'notes', detail: 'table notes does not exist' },
    ]);
    await db.initialize(extra);
    expect(await db.verify(extra)).toEqual({
      ok: true,
      currentVersion: 99,
      expectedVersion: 99,
      differences: [],
    });
  });
});
