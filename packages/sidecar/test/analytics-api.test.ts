import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const T0 = Date.parse('2024-03-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;

/** Mids of BTC/USD every second for two minutes: 100, 101, ... (venue label kraken); latencies every 10 s. */
const MIDS = Array.from({ length: 120 }, (_, k) => ({
  name: 'mid',
  value: 100 + k,
  timestamp: T0 + k * 1000,
  symbol: 'BTC/USD',
  labels: { venue: 'kraken' },
}));
const LATENCIES = Array.from({ length: 12 }, (_, k) => ({
  name: 'latency_ms',
  value: 5 + k,
  timestamp: T0 + k * 10_000,
  symbol: 'BTC/USD',
}));
const FILLS = [
  { timestamp: T0 + 500, side: 'buy', price: 100.5, quantity: 2, fee: 0.0402, strategy: 'mm' },
  { timestamp: T0 + 10_000, side: 'sell', price: 109.9, quantity: 1, fee: 0, strategy: 'mm' },
  { timestamp: T0 - 5000, side: 'buy', price: 99, quantity: 1, fee: 0, strategy: 'taker' },
].map((f) => ({ ...f, symbol: 'BTC/USD', venue: 'kraken' }));
const ETH_FILL = {
  timestamp: T0 + 1000,
  symbol: 'ETH/USD',
  venue: 'kraken',
  side: 'buy',
  price: 3000,
  quantity: 1,
  strategy: 'mm',
};

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  for (const [path, body] of [
    ['/api/v1/metrics', [...MIDS, ...LATENCIES]],
    ['/api/v1/trades', [...FILLS, ETH_FILL]],
  ] as const) {
    expect((await t.post(path, body)).status).toBe(200);
  }
});
afterAll(() => t.close());

/** The mid in force at `ms` (at or before; strictly before when `strict`), from the linear seed. */
function midAt(ms: number, strict = false): number | null {
  const k = strict ? Math.ceil((ms - T0) / 1000) - 1 : Math.floor((ms - T0) / 1000);
  return k < 0 ? null : 100 + Math.min(k, 119);
}

/** The docs/analytics.md definitions, by hand, for a BTC/USD fill. */
function expected(f: (typeof FILLS)[number], horizons: number[], strict = false) {
  const s = f.side === 'buy' ? 1 : -1;
  const arrival = midAt(f.timestamp, strict);
  const feeBps = (f.fee / (f.price * f.quantity)) * 1e4;
  const markouts = horizons.map((h) => {
    const m = midAt(f.timestamp + h);
    return m === null ? null : ((s * (m - f.price)) / f.price) * 1e4;
  });
  return {
    arrivalMid: arrival,
    slippageBps: arrival === null ? null : ((s * (f.price - arrival)) / arrival) * 1e4,
    feeBps,
    markoutBps: markouts,
    netMarkoutBps: markouts.map((m) => (m === null ? null : m - feeBps)),
  };
}

const close = (a: unknown, b: unknown): boolean =>
  Array.isArray(a)
    ? (a as unknown[]).every((x, i) => close(x, (b as unknown[])[i]))
    : a === null || b === null
      ? a === b
      : Math.abs((a as number) - (b as number)) < 1e-9;

describe('GET /api/v1/analytics/fills', () => {
  it('returns each fill with arrival mid, slippage signed by side, markouts and fees, and the summary', async () => {
    const r = await t.get('/api/v1/analytics/fills?mid=mid&symbol=BTC/USD&latency=latency_ms');
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(3);
    expect(r.body.data.map((d: { timestamp: string }) => d.timestamp)).toEqual(
      [...FILLS].sort((a, b) => a.timestamp - b.timestamp).map((f) => iso(f.timestamp)),
    );
    for (const row of r.body.data) {
      const fill = FILLS.find((f) => iso(f.timestamp) === row.timestamp) as (typeof FILLS)[number];
      const want = expected(fill, [1000, 5000, 60_000]);
      for (const [key, value] of Object.entries(want)) {
        expect(close(row[key], value), `${row.timestamp} ${key}: ${row[key]} vs ${value}`).toBe(true);
      }
      expect(row.notional).toBeCloseTo(fill.price * fill.quantity, 9);
      const k = Math.floor((fill.timestamp - T0) / 10_000);
      expect(row.latency).toBe(k < 0 ? null : 5 + k);
    }
    // The fill at the mid's own time uses that mid; the one before any mid has none, but a markout.
    const tie = r.body.data.find((d: { timestamp: string }) => d.timestamp === iso(T0 + 10_000));
    expect(tie.arrivalMid).toBe(110);
    expect(tie.slippageBps).toBeGreaterThan(0);
    const early = r.body.data[0];
    expect(early.arrivalMid).toBeNull();
    expect(early.markoutBps[1]).not.toBeNull();
    expect(r.body.summary.map((s: { strategy: string; fills: number }) => [s.strategy, s.fills])).toEqual([
      ['mm', 2],
      ['taker', 1],
    ]);
    const mm = r.body.summary[0];
    const slippages = FILLS.slice(0, 2).map((f) => expected(f, []).slippageBps as number);
    expect(mm.slippageBps.avg).toBeCloseTo((slippages[0]! + slippages[1]!) / 2, 9);
    expect(mm.markouts.map((m: { horizon: string }) => m.horizon)).toEqual(['1s', '5s', '60s']);
    expect(mm.markouts[0].negativeShare).toBe(0.5);
  });

  it('takes horizons, a tolerance, strict arrival, the venue label and summary keys', async () => {
    const r = await t.get(
      '/api/v1/analytics/fills?mid=mid&horizons=250ms,2s&tolerance=300ms&strict=true&venueLabel=venue&groupBy=strategy,venue',
    );
    expect(r.status).toBe(200);
    const sell = r.body.data.find((d: { timestamp: string }) => d.timestamp === iso(T0 + 10_000));
    expect(sell.arrivalMid).toBeNull(); // strictly before: 109 at T0+9s, older than 300 ms
    const buy = r.body.data.find((d: { timestamp: string }) => d.timestamp === iso(T0 + 500));
    expect(buy.arrivalMid).toBeNull(); // 100 at T0, 500 ms old
    expect(buy.midAfter).toEqual([null, null]); // the mids at T0 and T0+2s are 750 and 500 ms old by then
    expect(sell.midAfter).toEqual([110, 112]);
    expect(
      r.body.summary.map((g: { strategy: string; symbol: null; venue: string; fills: number }) => [
        g.strategy,
        g.symbol,
        g.venue,
        g.fills,
      ]),
    ).toEqual([
      ['mm', null, 'kraken', 3],
      ['taker', null, 'kraken', 1],
    ]);
  });

  it('refuses a missing mid, bad horizons, bad tolerances and unknown parameters', async () => {
    for (const query of [
      'symbol=BTC/USD',
      'mid=mid&horizons=soon',
      'mid=mid&horizons=0s',
      'mid=mid&tolerance=2d',
      'mid=mid&groupBy=side',
      'mid=mid&strict=yes',
      'mid=mid&sql=1',
    ]) {
      const r = await t.get(`/api/v1/analytics/fills?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error.code).toBe('validation');
    }
  });
});

describe('fill= and window= on aggregate and candles', () => {
  it('aggregate: every bucket present, filled with the previous value, and a cumulative sum', async () => {
    const from = iso(T0 - 2 * MINUTE);
    const to = iso(T0 + 4 * MINUTE);
    const r = await t.get(
      `/api/v1/aggregate?name=latency_ms&interval=1m&fn=max&fill=prev&window=cumsum&from=${from}&to=${to}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.data.map((d: { value: number | null; filled: boolean }) => [d.value, d.filled])).toEqual([
      [null, true],
      [null, true],
      [10, false],
      [16, false],
      [16, true],
      [16, true],
    ]);
    expect(r.body.data.map((d: { windowed: number | null }) => d.windowed)).toEqual([
      null,
      null,
      10,
      26,
      42,
      58,
    ]);
    const plain = await t.get(`/api/v1/aggregate?name=latency_ms&interval=1m&fn=max&from=${from}&to=${to}`);
    expect(plain.body.data).toHaveLength(2);
    expect(plain.body.data[0]).not.toHaveProperty('filled');
  });

  it('candles built from trades: every minute present, empty ones at the previous close with zero volume', async () => {
    const r = await t.get(
      `/api/v1/candles?symbol=BTC/USD&source=trades&fill=prev&from=${iso(T0 - MINUTE)}&to=${iso(T0 + 3 * MINUTE)}`,
    );
    expect(r.status).toBe(200);
    expect(
      r.body.data.map((d: { close: number; volume: number; filled: boolean }) => [
        d.close,
        d.volume,
        d.filled,
      ]),
    ).toEqual([
      [99, 1, false],
      [109.9, 3, false],
      [109.9, 0, true],
      [109.9, 0, true],
    ]);
  });

  it('refuses fill without a range, unknown fill modes and windows', async () => {
    for (const path of [
      '/api/v1/aggregate?name=latency_ms&fill=prev',
      `/api/v1/aggregate?name=latency_ms&fill=nearest&from=${iso(T0)}&to=${iso(T0 + MINUTE)}`,
      '/api/v1/aggregate?name=latency_ms&window=ema',
      '/api/v1/aggregate?name=latency_ms&window=moving_avg:x',
      '/api/v1/candles?symbol=BTC/USD&source=trades&fill=prev',
    ]) {
      const r = await t.get(path);
      expect(r.status, path).toBe(400);
    }
  });
});

describe('GET /api/v1/analytics/twap', () => {
  it('is the time-weighted average of the step function per bucket', async () => {
    const r = await t.get(
      `/api/v1/analytics/twap?name=mid&interval=1m&from=${iso(T0)}&to=${iso(T0 + 2 * MINUTE)}`,
    );
    expect(r.status).toBe(200);
    expect(
      r.body.data.map((d: { twa: number; coveredSeconds: number }) => [d.twa, d.coveredSeconds]),
    ).toEqual([
      [129.5, 60],
      [189.5, 60],
    ]);
    expect(r.body.data[0].integral).toBeCloseTo(129.5 * 60, 9);
    expect((await t.get('/api/v1/analytics/twap?name=mid')).status).toBe(400);
  });
});
