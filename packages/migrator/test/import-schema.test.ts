import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_MIGRATIONS } from '@duckside/core/schema';
import { type TempDir, tempDir } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';
import { query } from './db-query.ts';

let dir: TempDir;
let csv: string;

beforeAll(async () => {
  dir = await tempDir('migrator-import-schema-');
  csv = join(dir.path, 'trades.csv');
  writeFileSync(
    csv,
    ['time,symbol,exchange,side,qty,price', '2024-03-01T10:00:00Z,BTC/USD,kraken,buy,1.5,60000'].join('\n'),
  );
});
afterAll(() => dir.remove());

const importTrades = (db: string, ...extra: string[]) =>
  runCli(['import', 'csv', csv, '--into', 'trading_trades', '--db', db, ...extra]);
const versions = BUILTIN_MIGRATIONS.map((m) => m.version);

describe('import into a file without the schema', () => {
  it('applies the built-in migrations first, says so, and imports', { timeout: 120_000 }, async () => {
    const db = join(dir.path, 'new.duckdb');
    const run = await importTrades(db, '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `${db} had no schema: applied the built-in migrations ${versions.join(', ')} first`,
    );
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ok: true, rows: 1 });
    expect(report.appliedMigrations.map((m: { version: number }) => m.version)).toEqual(versions);
    expect((await runCli(['verify', '--db', db])).code).toBe(0);
    expect(await query(db, 'SELECT symbol, quantity FROM trading_trades')).toEqual([
      { symbol: 'BTC/USD', quantity: 1.5 },
    ]);
    const again = await importTrades(db);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('had no schema');
  });

  it('refuses a file part of the way there, naming duckside-migrate up, and changes nothing', {
    timeout: 120_000,
  }, async () => {
    const db = join(dir.path, 'partial.duckdb');
    expect((await runCli(['up', '--db', db, '--to', String(versions[0])])).code).toBe(0);
    const run = await importTrades(db);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `is at schema version ${versions[0]}, an import needs version ${versions.at(-1)}: run \`duckside-migrate up --db ${db}\` first`,
    );
    const status = JSON.parse((await runCli(['status', '--db', db, '--json'])).stdout);
    expect(status.current).toBe(versions[0]);
  });
});
