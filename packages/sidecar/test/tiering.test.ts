import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.ts';
import { coldDirectory, pluginOptions } from '../src/config/plugin-options.ts';
import { poll } from './helpers/poll.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const DAY = 86_400_000;

describe('--hot-days', () => {
  it('is read from the flag and DUCKSIDE_HOT_DAYS into the tiering plugin, with the folder beside the database', () => {
    const flag = loadConfig(['--hot-days', '7', '--db', '/tmp/x/a.duckdb'], {}, '/');
    const env = loadConfig(
      ['--db', '/tmp/x/a.duckdb'],
      { DUCKSIDE_HOT_DAYS: '3', DUCKSIDE_OFFLOAD_INTERVAL: '1m' },
      '/',
    );
    if (flag.kind !== 'run' || env.kind !== 'run') throw new Error('expected run');
    expect(pluginOptions(flag.config).tiering).toMatchObject({ hotDays: 7, dir: '/tmp/x/a.duckdb.cold' });
    expect(pluginOptions(env.config).tiering).toMatchObject({ hotDays: 3, intervalMs: 60_000 });
    expect(coldDirectory(flag.config)).toBe('/tmp/x/a.duckdb.cold');
    const off = loadConfig(['--db', '/tmp/x/a.duckdb'], {}, '/');
    if (off.kind !== 'run') throw new Error('expected run');
    expect(coldDirectory(off.config)).toBeUndefined();
    expect(() => loadConfig(['--hot-days', 'soon'], {}, '/')).toThrow(/hot-days/);
  });

  it('moves old days to Parquet while the query API answers from both tiers, with figures for both', async () => {
    t = await startTestServer({ tiering: { hotDays: 1, interval: '200ms' } });
    const now = Date.now();
    const trades = [3, 2, 0].map((d, i) => ({
      timestamp: new Date(now - d * DAY).toISOString(),
      symbol: 'BTC/USD',
      venue: 'kraken',
      side: 'buy',
      quantity: 1 + i,
      price: 100 + i,
    }));
    expect((await t.post('/api/v1/trades', trades)).status).toBeLessThan(300);
    const metrics = [3, 0].map((d) => ({
      name: 'pnl',
      value: d,
      timestamp: new Date(now - d * DAY).toISOString(),
    }));
    expect((await t.post('/api/v1/metrics', metrics)).status).toBeLessThan(300);
    const moved = [
      /^duckside_tier_cold_rows\{table="trading_trades"\} 2$/m,
      /^duckside_tier_cold_rows\{table="trading_metrics"\} 1$/m,
    ];
    const both = async () => {
      const body = (await t?.get('/metrics'))?.body as string;
      return moved.every((line) => line.test(body));
    };
    expect(await poll(both, 15_000)).toBe(true);
    const text = (await t.get('/metrics')).body as string;
    expect(Number(/^duckside_tier_bytes\{tier="cold"\} (\d+)/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(Number(/^duckside_tier_bytes\{tier="hot"\} (\d+)/m.exec(text)?.[1])).toBeGreaterThan(0);
    const listed = await t.get(`/api/v1/trades?symbol=BTC/USD&from=${now - 4 * DAY}&to=${now + 1000}`);
    expect(listed.body.count).toBe(3);
    const pnl = await t.get(`/api/v1/metrics?name=pnl&from=${now - 4 * DAY}&to=${now + 1000}`);
    expect(pnl.body.count).toBe(2);
    const stats = await t.get('/api/v1/stats');
    expect(stats.body.tiers.cold).toMatchObject({ hotDays: 1, files: 3, rows: 3 });
    expect(stats.body.tiers.hot.bytes).toBeGreaterThan(0);
    const folder = join(t.dir, 'test.duckdb.cold', 'trading_trades');
    expect(readdirSync(folder).sort()).toEqual(
      [3, 2].map((d) => `date=${new Date(now - d * DAY).toISOString().slice(0, 10)}`),
    );
    const day = new Date(now - 3 * DAY).toISOString().slice(0, 10);
    expect(existsSync(join(folder, `date=${day}`, 'part-0.parquet'))).toBe(true);
  });
});
