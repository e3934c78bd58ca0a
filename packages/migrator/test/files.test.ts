import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '@duckside/core';
import { type TempDir, tempDir } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';
import { query } from './db-query.ts';

let dir: TempDir;

beforeAll(async () => {
  dir = await tempDir('migrator-files-');
});
afterAll(() => dir.remove());

describe('CSV and Parquet', () => {
  it('imports a CSV, reports bad rows with file and line, and does nothing on a re-run', {
    timeout: 120_000,
  }, async () => {
    const db = join(dir.path, 'csv.duckdb');
    expect((await runCli(['up', '--db', db])).code).toBe(0);
    const csv = join(dir.path, 'trades.csv');
    writeFileSync(
      csv,
      [
        'time,symbol,exchange,side,qty,price',
        '2024-03-01T10:00:00Z,BTC/USD,kraken,buy,1.5,60000',
        '2024-03-01T11:00:00+01:00,ETH/USD,kraken,SELL,2,3000',
        '2024-03-02T09:30:00Z,BTC/USD,kraken,hold,1,60100',
        '2024-03-02T09:31:00Z,BTC/USD,kraken,buy,lots,60100',
        '2024-03-02T09:32:00Z,,kraken,buy,1,60100',
        '2024-03-03T00:00:00Z,SOL/USD,kraken,sell,10,150',
      ].join('\n'),
    );
    const first = await runCli(['import', 'csv', csv, '--into', 'trading_trades', '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('imported 3 rows from csv:');
    expect(first.stdout).toContain('rejected 3 bad rows:');
    expect(first.stdout).toContain(`${csv}:4: side: side must be buy or sell (hold)`);
    expect(first.stdout).toMatch(new RegExp(`${csv}:5: .*lots`));
    expect(first.stdout).toContain(`${csv}:6: symbol: missing value`);
    expect(first.stdout).toContain(
      'verification: ok: counts and sums of quantity of 2 days, 3 source rows, 3 target rows',
    );
    const rows = await query(db, 'SELECT ts, symbol, side, quantity FROM trading_trades ORDER BY ts');
    expect(rows.map((r) => [(r.ts as Date).toISOString(), r.symbol, r.side, r.quantity])).toEqual([
      ['2024-03-01T10:00:00.000Z', 'BTC/USD', 'buy', 1.5],
      ['2024-03-01T10:00:00.000Z', 'ETH/USD', 'sell', 2],
      ['2024-03-03T00:00:00.000Z', 'SOL/USD', 'sell', 10],
    ]);
    const again = await runCli(['import', 'csv', csv, '--into', 'trading_trades', '--db', db, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ skipped: true, rows: 0, totalRows: 3 });
    expect((await query(db, 'SELECT count(*) AS n FROM trading_trades'))[0]?.n).toBe(3n);
  });

  it('verifies only the rows of this import when the target already holds rows on the same days', {
    timeout: 120_000,
  }, async () => {
    const db = join(dir.path, 'shared-days.duckdb');
    expect((await runCli(['up', '--db', db])).code).toBe(0);
    const write = (name: string, rows: string[]) => {
      const file = join(dir.path, name);
      writeFileSync(file, ['time,symbol,exchange,side,qty,price', ...rows].join('\n'));
      return file;
    };
    const first = write('first.csv', [
      '2024-03-01T10:00:00Z,BTC/USD,kraken,buy,1,60000',
      '2024-03-02T10:00:00Z,BTC/USD,kraken,sell,2,60100',
    ]);
    const second = write('second.csv', [
      '2024-03-01T12:00:00Z,ETH/USD,kraken,buy,5,3000',
      '2024-03-02T12:00:00Z,ETH/USD,kraken,sell,7,3010',
    ]);
    expect((await runCli(['import', 'csv', first, '--into', 'trading_trades', '--db', db])).code).toBe(0);
    const run = await runCli(['import', 'csv', second, '--into', 'trading_trades', '--db', db, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.verification.ok).toBe(true);
    expect(report.verification.days).toEqual([
      expect.objectContaining({
        day: '2024-03-01',
        sourceCount: 1,
        targetCount: 1,
        sourceSum: 5,
        targetSum: 5,
      }),
      expect.objectContaining({
        day: '2024-03-02',
        sourceCount: 1,
        targetCount: 1,
        sourceSum: 7,
        targetSum: 7,
      }),
    ]);
    expect((await query(db, 'SELECT count(*) AS n FROM trading_trades'))[0]?.n).toBe(4n);
  });

  it('exports a table to Parquet by day and imports it back into another database unchanged', {
    timeout: 120_000,
  }, async () => {
    const a = join(dir.path, 'a.duckdb');
    const b = join(dir.path, 'b.duckdb');
    const source = await Database.open({ path: a });
    await source.insertMetrics([
      {
        name: 'order_latency_ms',
        value: 1.5,
        symbol: 'BTC/USD',
        timestamp: '2024-05-01T10:00:00.123456789Z',
        labels: { venue: 'kraken' },
      },
      {
        name: 'order_latency_ms',
        value: 2.5,
        symbol: 'ETH/USD',
        timestamp: '2024-05-02T10:00:00Z',
        labels: { depth: 3 },
      },
    ]);
    await source.insertEvents([
      { severity: 'warning', source: 'gateway', message: 'reconnect', timestamp: '2024-05-02T11:00:00Z' },
    ]);
    await source.close();
    const out = join(dir.path, 'export-metrics');
    const exported = await runCli([
      'export',
      'parquet',
      '--table',
      'trading_metrics',
      '--out',
      out,
      '--db',
      a,
    ]);
    expect(exported).toMatchObject({
      code: 0,
      stdout: `exported 2 rows of trading_metrics to ${out} (2 days)\n`,
    });
    expect(readdirSync(join(out, 'trading_metrics')).sort()).toEqual(['date=2024-05-01', 'date=2024-05-02']);
    expect(readdirSync(join(out, 'trading_metrics', 'date=2024-05-01'))).toEqual(['part-0.parquet']);
    const events = join(dir.path, 'export-events');
    expect(
      (await runCli(['export', 'parquet', '--table', 'system_events', '--out', events, '--db', a])).code,
    ).toBe(0);
    expect(
      (await runCli(['export', 'parquet', '--table', 'system_events', '--out', events, '--db', a])).code,
    ).toBe(2);

    expect((await runCli(['up', '--db', b])).code).toBe(0);
    const imported = await runCli([
      'import',
      'parquet',
      out,
      '--into',
      'trading_metrics',
      '--db',
      b,
      '--json',
    ]);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 2, verification: { ok: true } });
    expect((await runCli(['import', 'parquet', events, '--into', 'system_events', '--db', b])).code).toBe(0);
    const dump = `SELECT * EXCLUDE (id) FROM system_events`;
    const metrics = 'SELECT * FROM trading_metrics ORDER BY ts';
    expect(await query(b, metrics)).toEqual(await query(a, metrics));
    expect(await query(b, dump)).toEqual(await query(a, dump));
  });
});
