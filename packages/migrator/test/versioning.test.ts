import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '@duckside/core';
import { type TempDir, tempDir } from '@duckside/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';

let dir: TempDir;
let db: string;
let migrations: string;

beforeEach(async () => {
  dir = await tempDir('migrator-versions-');
  db = join(dir.path, 'db.duckdb');
  migrations = join(dir.path, 'migrations');
});
afterEach(() => dir.remove());

const cli = (...args: string[]) => runCli([...args, '--db', db]);

function userMigration(version: number, name: string, up: string, down: string): void {
  writeFileSync(join(migrations, `${version}_${name}.up.sql`), up);
  writeFileSync(join(migrations, `${version}_${name}.down.sql`), down);
}

async function schemaOf(path: string): Promise<string> {
  const d = await Database.open({ path, initialize: false });
  try {
    return await d.withConnection(async (c) => {
      const reader = await c.runAndReadAll(
        `SELECT table_name, column_name, data_type, is_nullable, column_default FROM duckdb_columns()
         WHERE NOT internal ORDER BY ALL`,
      );
      const idx = await c.runAndReadAll(
        `SELECT table_name, index_name, sql FROM duckdb_indexes() ORDER BY ALL`,
      );
      const seq = await c.runAndReadAll(`SELECT sequence_name FROM duckdb_sequences() ORDER BY ALL`);
      return JSON.stringify([reader.getRows(), idx.getRows(), seq.getRows()], (_k, v) =>
        typeof v === 'bigint' ? String(v) : v,
      );
    });
  } finally {
    await d.close();
  }
}

describe('duckside-migrate versioning', () => {
  it('up, down to 0 and up again leaves an identical schema, with user migrations from --dir', {
    timeout: 120_000,
  }, async () => {
    expect((await runCli(['create', 'trades by symbol', '--dir', migrations])).code).toBe(0);
    userMigration(
      1000,
      'trades_by_symbol',
      'CREATE INDEX trades_symbol ON trading_trades (symbol);',
      'DROP INDEX trades_symbol;',
    );
    writeFileSync(
      join(migrations, '1001_order_notes.ts'),
      `export const up = () => 'CREATE TABLE order_notes (order_id VARCHAR, note VARCHAR);';\nexport default {};\nexport const down = 'DROP TABLE order_notes;';\n`,
    );
    const up = await cli('up', '--dir', migrations);
    expect(up.code).toBe(0);
    expect(up.stdout).toBe(
      'applied 1 create_metric_tables\napplied 2 create_trading_tables\napplied 3 create_import_watermarks\n' +
        'applied 4 normalize_metric_series\napplied 5 add_otlp_log_fields\napplied 6 create_rollup_tables\n' +
        'applied 7 create_rollup_pending_tables\napplied 1000 trades_by_symbol\napplied 1001 order_notes\n',
    );
    const first = await schemaOf(db);
    expect(first).toContain('order_notes');
    expect(first).toContain('trades_symbol');
    expect((await cli('verify', '--dir', migrations)).stdout).toBe('schema ok at version 1001\n');

    const dry = await cli('down', '--to', '0', '--dir', migrations, '--dry-run');
    expect(dry.stdout).toContain('-- would run down 1001 order_notes\nDROP TABLE order_notes;');
    expect(await schemaOf(db)).toBe(first);

    const down = await cli('down', '--to', '0', '--dir', migrations, '--json');
    expect(down.code).toBe(0);
    expect(JSON.parse(down.stdout).steps.map((s: { version: number }) => s.version)).toEqual([
      1001, 1000, 7, 6, 5, 4, 3, 2, 1,
    ]);
    const empty = JSON.parse((await cli('status', '--json', '--dir', migrations)).stdout);
    expect(empty).toMatchObject({ ok: true, current: 0, applied: [] });
    expect(await schemaOf(db)).not.toContain('trading_metrics');

    expect((await cli('up', '--dir', migrations)).code).toBe(0);
    expect(await schemaOf(db)).toBe(first);
    // The sidecar opens with core's built-in list: user migrations (1000+) are not gaps to it.
    const sidecar = await Database.open({ path: db });
    await sidecar.close();
  });

  it('detects an edited applied migration and a gap, exits 1, and proceeds only with --force', {
    timeout: 120_000,
  }, async () => {
    await runCli(['create', 'a', '--dir', migrations]);
    userMigration(1000, 'a', 'CREATE TABLE a (x INTEGER);', 'DROP TABLE a;');
    userMigration(1002, 'c', 'CREATE TABLE c (x INTEGER);', 'DROP TABLE c;');
    expect((await cli('up', '--dir', migrations)).code).toBe(0);

    userMigration(1000, 'a', 'CREATE TABLE a (x BIGINT);', 'DROP TABLE a;');
    const edited = await cli('status', '--dir', migrations);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain('version 1000 (a): checksum differs: the migration was edited');
    const refused = await cli('down', '--dir', migrations);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('migration history is inconsistent');
    userMigration(1000, 'a', 'CREATE TABLE a (x INTEGER);', 'DROP TABLE a;');

    userMigration(1001, 'b', 'CREATE TABLE b (x INTEGER);', 'DROP TABLE b;');
    const gap = await cli('status', '--dir', migrations, '--json');
    expect(gap.code).toBe(1);
    expect(JSON.parse(gap.stdout)).toMatchObject({ ok: false, gaps: [1001] });
    expect((await cli('verify', '--dir', migrations)).code).toBe(1);
    expect((await cli('up', '--dir', migrations)).code).toBe(1);
    const forced = await cli('down', '--dir', migrations, '--force');
    expect(forced).toMatchObject({ code: 0, stdout: 'rolled back 1002 c\n' });
  });

  it('fails fast with a clear message when another process holds the file, and two runs at once stay consistent', {
    timeout: 120_000,
  }, async () => {
    const holder = await Database.open({ path: db });
    try {
      const locked = await cli('status');
      expect(locked.code).toBe(1);
      expect(locked.stderr).toMatch(/is locked by another process/);
    } finally {
      await holder.close();
    }
    const other = join(dir.path, 'other.duckdb');
    const [a, b] = await Promise.all([runCli(['up', '--db', other]), runCli(['up', '--db', other])]);
    for (const r of [a, b]) {
      if (r.code !== 0) expect(r.stderr).toMatch(/locked by another process/);
    }
    expect([a.code, b.code]).toContain(0);
    const applied = [a, b].flatMap((r) => r.stdout.split('\n').filter((l) => l.startsWith('applied')));
    expect(applied).toEqual([
      'applied 1 create_metric_tables',
      'applied 2 create_trading_tables',
      'applied 3 create_import_watermarks',
      'applied 4 normalize_metric_series',
      'applied 5 add_otlp_log_fields',
      'applied 6 create_rollup_tables',
      'applied 7 create_rollup_pending_tables',
    ]);
    expect((await runCli(['verify', '--db', other])).code).toBe(0);
  });

  it('reports bad usage with exit code 2', async () => {
    const unknown = await cli('migrate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command migrate');
    const wrong = await cli('up', '--steps', '2');
    expect(wrong.code).toBe(2);
    const json = await cli('down', '--steps', 'x', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'usage' } });
  });
});
