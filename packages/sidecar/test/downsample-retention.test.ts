import { afterEach, describe, expect, it } from 'vitest';
import { poll } from './helpers/poll.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const DAY = 86_400_000;

describe('--downsample', () => {
  it('removes raw trades past their keep-for, counts them on /metrics, and candles still answer from rollups', async () => {
    t = await startTestServer({
      retention: { downsample: { raw: '1d' }, interval: '200ms' },
      rollups: { levels: ['1m', '1h'], maintainEvery: '50ms' },
    });
    const old = Date.now() - 3 * DAY;
    const hour = old - (old % 3_600_000);
    const trades = [0, 1, 2].map((i) => ({
      timestamp: new Date(hour + i * 60_000).toISOString(),
      symbol: 'BTC/USD',
      venue: 'kraken',
      side: 'buy',
      quantity: 1 + i,
      price: 100 + i,
    }));
    const query = `/api/v1/candles?symbol=BTC/USD&interval=1h&source=trades&from=${hour}&to=${hour + 3_600_000}`;
    const posted = await t.post('/api/v1/trades', trades);
    expect(posted.status).toBeLessThan(300);
    const line = /^duckside_downsample_deleted_rows_total\{table="trading_trades",level="raw"\} 3$/m;
    expect(await poll(async () => line.test((await t?.get('/metrics'))?.body as string), 15_000)).toBe(true);
    expect((await t.get('/api/v1/trades?symbol=BTC/USD')).body.count).toBe(0);
    const candles = await t.get(query);
    expect(candles.body).toMatchObject({
      source: 'rollup:1h',
      data: [{ open: 100, high: 102, low: 100, close: 102, volume: 6, trades: 3 }],
    });
    expect(candles.body.data[0].vwap).toBeCloseTo((100 + 2 * 101 + 3 * 102) / 6, 12);
    expect((await t.get('/metrics')).body).toMatch(/^duckside_downsample_raw_horizon_timestamp_seconds \d+/m);
  });
});
