import { join } from 'node:path';
import { ColdTier, Database, MetricRecord } from '@duckside/core';
import { type TempDir, tempDir } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';
import { query } from './db-query.ts';

let dir: TempDir;

beforeAll(async () => {
  dir = await tempDir('migrator-cold-');
});
afterAll(() => dir.remove());

describe('import parquet of a cold tier', () => {
  it('reads the cold tier files back into another database (the same layout as export parquet)', {
    timeout: 120_000,
  }, async () => {
    const a = join(dir.path, 'a.duckdb');
    const cold = join(dir.path, 'a.cold');
    const source = await Database.open(a);
    const day = Date.UTC(2024, 4, 1);
    await source.insertMetrics(
      [0, 1, 2, 3].map((i) =>
        new MetricRecord('pnl', i * 1.5, day + i * 43_200_000).withSymbol('BTC/USD').addLabel('book', 'x'),
      ),
    );
    await source.insertTrades(
      [0, 1, 2].map((i) => ({
        timestamp: day + i * 50_000_000,
        symbol: 'ETH/USD',
        venue: 'k',
        side: 'buy',
        quantity: i + 1,
        price: 3000 + i,
      })),
    );
    const metrics = 'SELECT * EXCLUDE (series_id) FROM trading_metrics ORDER BY ts';
    const trades = 'SELECT * FROM trading_trades ORDER BY ts';
    const before = {
      metrics: await source.all({ sql: metrics, params: [] }),
      trades: await source.all({ sql: trades, params: [] }),
    };
    const tier = await ColdTier.open(source, { dir: cold, hotDays: 0 });
    const moved = await tier.offload(day + 3 * 86_400_000);
    expect(moved.rows).toBe(7);
    await source.close();

    const b = join(dir.path, 'b.duckdb');
    expect((await runCli(['up', '--db', b])).code).toBe(0);
    for (const [folder, into] of [
      ['trading_metrics', 'trading_metrics'],
      ['trading_trades', 'trading_trades'],
    ]) {
      const imported = await runCli([
        'import',
        'parquet',
        join(cold, folder as string),
        '--into',
        into as string,
        '--db',
        b,
        '--json',
      ]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ verification: { ok: true } });
    }
    const after = { metrics: await query(b, metrics), trades: await query(b, trades) };
    expect(after.metrics.length).toBe(4);
    expect(after.trades.length).toBe(3);
    expect(after.metrics.map((r) => r.value)).toEqual(
      before.metrics.map((r) => (r as { value: number }).value),
    );
    expect(after.trades.map((r) => r.price)).toEqual(
      before.trades.map((r) => (r as { price: number }).price),
    );
  });
});
