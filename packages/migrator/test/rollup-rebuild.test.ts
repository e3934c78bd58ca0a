import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { candles, Database, DEFAULT_ROLLUP_LEVELS } from '@duckside/core';
import { type TempDir, tempDir } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';
import { query } from './db-query.ts';

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir('migrator-rollups-');
});
afterAll(() => dir.remove());

describe('rollups and the migrator', () => {
  it('imports mark their buckets dirty; `rollup rebuild` re-aggregates rows written around core', {
    timeout: 120_000,
  }, async () => {
    const path = join(dir.path, 'rollups.duckdb');
    // Opening with core records the rollup levels (1m and 1h).
    await (
      await Database.open({ path, rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 } })
    ).close();
    const csv = join(dir.path, 'trades.csv');
    writeFileSync(
      csv,
      [
        'time,symbol,exchange,side,qty,price',
        '2024-03-01T10:00:00Z,BTC/USD,kraken,buy,1.5,60000',
        '2024-03-01T10:20:00Z,BTC/USD,kraken,sell,2,60100',
        '2024-03-01T11:05:00Z,BTC/USD,kraken,buy,1,59900',
      ].join('\n'),
    );
    expect((await runCli(['import', 'csv', csv, '--into', 'trading_trades', '--db', path])).code).toBe(0);
    const dirty = await query(path, 'SELECT count(*) AS n FROM rollup_dirty WHERE source = 2');
    expect(dirty[0]?.n).toBe(3n);
    // Rows written by plain SQL bypass the marking: the rebuild finds them from the raw rows.
    await query(
      path,
      `INSERT INTO trading_trades (ts, symbol, venue, side, quantity, price)
       VALUES ('2024-03-01 10:40:00', 'BTC/USD', 'kraken', 'buy', 4, 60500)`,
    );
    const rebuilt = await runCli([
      'rollup',
      'rebuild',
      '--from',
      '2024-03-01',
      '--to',
      '2024-03-02',
      '--db',
      path,
      '--json',
    ]);
    expect(rebuilt.code).toBe(0);
    const report = JSON.parse(rebuilt.stdout);
    expect(report).toMatchObject({ ok: true, levels: ['1m', '1h'], marked: 4 });
    expect(report.consumed).toBeGreaterThanOrEqual(4);
    {
      await using db = await Database.open({
        path,
        rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
      });
      expect(await db.all({ sql: 'SELECT count(*) AS n FROM rollup_dirty', params: [] })).toEqual([{ n: 0 }]);
      const q = candles('BTC/USD')
        .fromTrades()
        .venue('kraken')
        .interval('1h')
        .between('2024-03-01', '2024-03-02');
      const routed = await db.execute(q);
      expect(routed.source).toBe('rollup:1h');
      expect(routed.rows).toEqual(await db.all(q.compile()));
      expect(routed.rows[0]).toMatchObject({
        open: 60000,
        high: 60500,
        close: 60500,
        volume: 7.5,
        trades: 3,
      });
    }
    const text = await runCli(['rollup', 'rebuild', '--db', path]);
    expect(text.stdout).toMatch(
      /^rebuilt rollups 1m, 1h: \d+ dirty buckets marked, \d+ consumed in \d+ ms$/m,
    );
    expect((await runCli(['rollup', 'rebuild', 'x', '--db', path])).code).toBe(2);
    expect((await runCli(['rollup', 'rebuild', '--steps', '1', '--db', path])).code).toBe(2);
  });
});
