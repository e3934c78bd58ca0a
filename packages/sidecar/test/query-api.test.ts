import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const T0 = Date.parse('2024-03-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const TRADES = [
  {
    timestamp: iso(T0),
    symbol: 'BTC/USD',
    venue: 'kraken',
    side: 'buy',
    quantity: 1,
    price: 100,
    strategy: 'mm-1',
    orderId: 'o1',
    tradeId: 't1',
  },
  {
    timestamp: iso(T0 + 30_000),
    symbol: 'BTC/USD',
    venue: 'kraken',
    side: 'buy',
    quantity: 1,
    price: 102,
    strategy: 'mm-1',
  },
  {
    timestamp: iso(T0 + 90_000),
    symbol: 'BTC/USD',
    venue: 'kraken',
    side: 'sell',
    quantity: 2,
    price: 105,
    fee: 0.1,
    strategy: 'mm-1',
  },
  {
    timestamp: T0 + 10_000,
    symbol: 'ETH/USD',
    venue: 'coinbase',
    side: 'buy',
    quantity: 2,
    price: 3000,
    strategy: 'arb',
  },
  {
    timestamp: T0 + 70_000,
    symbol: 'ETH/USD',
    venue: 'coinbase',
    side: 'sell',
    quantity: 1,
    price: 2990,
    strategy: 'arb',
  },
];
const CANDLES = [
  {
    symbol: 'BTC/USD',
    venue: 'kraken',
    interval: '1m',
    timestamp: iso(T0),
    open: 100,
    high: 103,
    low: 99,
    close: 102,
    volume: 5,
  },
  {
    symbol: 'BTC/USD',
    venue: 'kraken',
    interval: '1m',
    timestamp: iso(T0 + 60_000),
    open: 102,
    high: 106,
    low: 101,
    close: 105,
    volume: 7,
  },
  {
    symbol: 'ETH/USD',
    venue: 'coinbase',
    interval: '1m',
    timestamp: iso(T0),
    open: 3000,
    high: 3001,
    low: 2990,
    close: 2995,
    volume: 3,
  },
];
const EVENTS = [
  {
    timestamp: iso(T0),
    severity: 'info',
    source: 'gateway',
    message: 'connected',
    attributes: { venue: 'kraken', attempt: 1 },
  },
  { timestamp: iso(T0 + 1000), severity: 'warning', source: 'gateway', message: 'Reconnecting to KRAKEN' },
  { timestamp: iso(T0 + 2000), severity: 'error', source: 'risk', message: 'position limit breached' },
];
const METRICS = [
  {
    name: 'order_latency_ms',
    value: 10,
    timestamp: iso(T0),
    symbol: 'BTC/USD',
    labels: { exchange: 'kraken' },
  },
  {
    name: 'order_latency_ms',
    value: 20,
    timestamp: iso(T0 + 20_000),
    symbol: 'BTC/USD',
    labels: { exchange: 'kraken' },
  },
  {
    name: 'order_latency_ms',
    value: 30,
    timestamp: iso(T0 + 40_000),
    symbol: 'ETH/USD',
    labels: { exchange: 'coinbase' },
  },
  {
    name: 'order_latency_ms',
    value: 50,
    timestamp: '2024-03-01T12:01:10.123456789Z',
    symbol: 'BTC/USD',
    labels: { exchange: 'kraken' },
  },
  { name: 'orders_total', value: 5, timestamp: iso(T0), labels: { exchange: 'kraken' } },
  { name: 'orders_total', value: 8, timestamp: iso(T0 + 30_000), labels: { exchange: 'kraken' } },
  { name: 'orders_total', value: 2, timestamp: iso(T0 + 50_000), labels: { exchange: 'kraken' } },
];

/** An OTLP/JSON histogram point: 10 observations, buckets (-inf,5] 0, (5,10] 5, (10,+inf) 5. */
const OTLP_HISTOGRAM = {
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gateway' } }] },
      scopeMetrics: [
        {
          scope: { name: 'test' },
          metrics: [
            {
              name: 'fill_latency',
              unit: 'ms',
              histogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    startTimeUnixNano: String(BigInt(T0) * 1_000_000n),
                    timeUnixNano: String(BigInt(T0 + 10_000) * 1_000_000n),
                    count: '10',
                    sum: 100,
                    bucketCounts: ['0', '5', '5'],
                    explicitBounds: [5, 10],
                  },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
};

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ rollups: { levels: ['1m', '1h'] } });
  for (const [path, rows] of [
    ['/api/v1/trades', TRADES],
    ['/api/v1/candles', CANDLES],
    ['/api/v1/events', EVENTS],
    ['/api/v1/metrics', METRICS],
  ] as const) {
    const res = await t.post(path, rows);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ stored: rows.length });
  }
  const otlp = await t.post('/v1/metrics', OTLP_HISTOGRAM);
  expect(otlp.status).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/trades', () => {
  it('returns trades newest first in the ingest shape', async () => {
    const res = await t.get('/api/v1/trades?symbol=BTC/USD');
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(res.body.truncated).toBe(false);
    expect(res.body.data.map((r: { price: number }) => r.price)).toEqual([105, 102, 100]);
    expect(res.body.data[2]).toEqual({
      timestamp: iso(T0),
      symbol: 'BTC/USD',
      venue: 'kraken',
      side: 'buy',
      quantity: 1,
      price: 100,
      fee: 0,
      orderId: 'o1',
      tradeId: 't1',
      strategy: 'mm-1',
    });
  });

  it('filters by side, venue, strategy and time (from inclusive, to exclusive, unix ms or RFC 3339)', async () => {
    expect((await t.get('/api/v1/trades?side=sell')).body.count).toBe(2);
    expect((await t.get('/api/v1/trades?venue=coinbase&strategy=arb')).body.count).toBe(2);
    const ranged = await t.get(
      `/api/v1/trades?from=${T0 + 10_000}&to=${encodeURIComponent(iso(T0 + 70_000))}`,
    );
    expect(ranged.body.data.map((r: { price: number }) => r.price)).toEqual([102, 3000]);
  });

  it('applies limit without reporting truncation', async () => {
    const res = await t.get('/api/v1/trades?limit=1');
    expect(res.body).toMatchObject({ count: 1, truncated: false });
  });
});

describe('GET /api/v1/candles', () => {
  it('returns stored candles of one symbol and interval', async () => {
    const res = await t.get('/api/v1/candles?symbol=BTC/USD&interval=1m');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        timestamp: iso(T0),
        symbol: 'BTC/USD',
        venue: 'kraken',
        open: 100,
        high: 103,
        low: 99,
        close: 102,
        volume: 5,
        vwap: null,
        trades: null,
      },
      {
        timestamp: iso(T0 + 60_000),
        symbol: 'BTC/USD',
        venue: 'kraken',
        open: 102,
        high: 106,
        low: 101,
        close: 105,
        volume: 7,
        vwap: null,
        trades: null,
      },
    ]);
  });

  it('builds candles from trades with VWAP and trade count', async () => {
    const res = await t.get('/api/v1/candles?symbol=BTC/USD&interval=1m&source=trades');
    expect(res.body.data).toEqual([
      {
        timestamp: iso(T0),
        symbol: 'BTC/USD',
        venue: null,
        open: 100,
        high: 102,
        low: 100,
        close: 102,
        volume: 2,
        vwap: 101,
        trades: 2,
      },
      {
        timestamp: iso(T0 + 60_000),
        symbol: 'BTC/USD',
        venue: null,
        open: 105,
        high: 105,
        low: 105,
        close: 105,
        volume: 2,
        vwap: 105,
        trades: 1,
      },
    ]);
  });

  it('builds candles from a price metric, and requires the metric name for that source', async () => {
    const res = await t.get(
      '/api/v1/candles?symbol=BTC/USD&interval=1h&source=metric&metric=order_latency_ms',
    );
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({ open: 10, high: 50, low: 10, close: 50, volume: 3 });
    const missing = await t.get('/api/v1/candles?source=metric');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'validation', field: 'metric' });
    const misplaced = await t.get('/api/v1/candles?metric=x');
    expect(misplaced.status).toBe(400);
  });
});

describe('GET /api/v1/events', () => {
  it('filters by minimum severity, source and case-insensitive text', async () => {
    const warn = await t.get('/api/v1/events?severity=warning');
    expect(warn.body.data.map((e: { severity: string }) => e.severity)).toEqual(['error', 'warning']);
    const text = await t.get('/api/v1/events?text=kraken');
    expect(text.body.data.map((e: { message: string }) => e.message)).toEqual(['Reconnecting to KRAKEN']);
    const source = await t.get('/api/v1/events?source=gateway&severity=debug');
    expect(source.body.count).toBe(2);
    const first = source.body.data[1];
    expect(first).toMatchObject({
      severity: 'info',
      source: 'gateway',
      message: 'connected',
      timestamp: iso(T0),
    });
    expect(first.attributes).toEqual({ venue: 'kraken', attempt: 1 });
    expect(typeof first.id).toBe('number');
  });

  it('rejects an unknown severity', async () => {
    const res = await t.get('/api/v1/events?severity=fatal');
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('severity');
  });
});

describe('GET /api/v1/metrics', () => {
  it('selects points by name, symbol and label with nanosecond timestamps', async () => {
    const res = await t.get(
      '/api/v1/metrics?name=order_latency_ms&symbol=BTC/USD&label.exchange=kraken&order=asc',
    );
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { value: number }) => r.value)).toEqual([10, 20, 50]);
    const last = res.body.data[2];
    expect(last).toMatchObject({
      name: 'order_latency_ms',
      symbol: 'BTC/USD',
      service: null,
      labels: { exchange: 'kraken' },
      kind: 'gauge',
      timestamp: '2024-03-01T12:01:10.123456789Z',
      timeUnixNano: '1709294470123456789',
    });
  });

  it('returns nothing for a label value that does not match', async () => {
    const res = await t.get('/api/v1/metrics?name=order_latency_ms&label.exchange=binance');
    expect(res.body.count).toBe(0);
  });
});

describe('GET /api/v1/aggregate', () => {
  it('buckets by interval and groups by symbol', async () => {
    const res = await t.get(
      `/api/v1/aggregate?name=order_latency_ms&interval=1m&fn=avg&groupBy=symbol&from=${T0}&to=${T0 + 120_000}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      { bucket: iso(T0), group: 'BTC/USD', value: 15, samples: 2 },
      { bucket: iso(T0), group: 'ETH/USD', value: 30, samples: 1 },
      { bucket: iso(T0 + 60_000), group: 'BTC/USD', value: 50, samples: 1 },
    ]);
  });

  it('groups by a label and computes percentiles and counter increase across a reset', async () => {
    const p = await t.get(
      '/api/v1/aggregate?name=order_latency_ms&interval=1h&fn=max&groupBy=label.exchange',
    );
    expect(p.body.data.map((r: { group: string; value: number }) => [r.group, r.value])).toEqual([
      ['coinbase', 30],
      ['kraken', 50],
    ]);
    const inc = await t.get('/api/v1/aggregate?name=orders_total&interval=1h&fn=increase');
    // 5 -> 8 adds 3; 8 -> 2 is a reset and adds 2.
    expect(inc.body.data).toEqual([{ bucket: iso(T0), group: null, value: 5, samples: 3 }]);
  });

  it('says which source answered: the coarsest rollup level for mergeable functions, raw for percentiles', async () => {
    await t.server.db.catchUpRollups();
    const hourly = await t.get('/api/v1/aggregate?name=orders_total&interval=1h&fn=increase');
    expect(hourly.body).toMatchObject({ source: 'rollup:1h', data: [{ value: 5, samples: 3 }] });
    const minutes = await t.get(
      `/api/v1/aggregate?name=order_latency_ms&interval=1m&fn=avg&groupBy=symbol&from=${T0}&to=${T0 + 120_000}`,
    );
    expect(minutes.body.source).toBe('rollup:1m');
    expect(minutes.body.data).toHaveLength(3);
    const edges = await t.get(`/api/v1/aggregate?name=order_latency_ms&interval=1h&fn=max&from=${T0 + 1}`);
    expect(edges.body.source).toBe('rollup:1h+raw');
    const p99 = await t.get('/api/v1/aggregate?name=order_latency_ms&interval=1h&fn=p99');
    expect(p99.body.source).toBe('raw');
    const candles = await t.get('/api/v1/candles?symbol=BTC/USD&interval=1m&source=trades');
    expect(candles.body).toMatchObject({ source: 'rollup:1m', count: 2 });
    expect((await t.get('/api/v1/candles?symbol=BTC/USD&interval=1m')).body.source).toBe('raw');
  });

  it('requires a name and a known function', async () => {
    expect((await t.get('/api/v1/aggregate')).body.error).toMatchObject({
      code: 'validation',
      field: 'name',
    });
    const fn = await t.get('/api/v1/aggregate?name=x&fn=median');
    expect(fn.status).toBe(400);
    expect(fn.body.error.field).toBe('fn');
    const group = await t.get('/api/v1/aggregate?name=x&groupBy=venue');
    expect(group.body.error.field).toBe('groupBy');
  });
});

describe('GET /api/v1/histograms', () => {
  it('estimates quantiles of an OTLP histogram metric', async () => {
    const res = await t.get('/api/v1/histograms?name=fill_latency&interval=1h&quantiles=0.25,0.5');
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { quantile: number; value: number }) => [r.quantile, r.value])).toEqual([
      [0.25, 7.5],
      [0.5, 10],
    ]);
    const bad = await t.get('/api/v1/histograms?name=fill_latency&quantiles=2');
    expect(bad.status).toBe(400);
  });
});

describe('GET /api/v1/performance', () => {
  it('summarises realized P&L and win rate per strategy', async () => {
    const res = await t.get('/api/v1/performance?groupBy=strategy');
    expect(res.status).toBe(200);
    const byStrategy = Object.fromEntries(res.body.data.map((r: { strategy: string }) => [r.strategy, r]));
    expect(byStrategy['mm-1']).toMatchObject({ trades: 3, buyQuantity: 2, sellQuantity: 2, winRate: 1 });
    expect(byStrategy['mm-1'].realizedPnl).toBeCloseTo(7.9, 9);
    expect(byStrategy.arb).toMatchObject({ trades: 2, realizedPnl: -10, winRate: 0 });
  });

  it('groups by strategy and symbol', async () => {
    const res = await t.get('/api/v1/performance?groupBy=strategy,symbol&symbol=ETH/USD');
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({ strategy: 'arb', symbol: 'ETH/USD' });
    expect((await t.get('/api/v1/performance?groupBy=venue')).status).toBe(400);
  });
});

describe('GET /api/v1/stats', () => {
  it('reports table row counts, pool, writer and query slots', async () => {
    const res = await t.get('/api/v1/stats');
    expect(res.status).toBe(200);
    const rows = Object.fromEntries(
      res.body.tables.map((s: { table: string; rows: number }) => [s.table, s.rows]),
    );
    expect(rows).toMatchObject({
      trading_trades: 5,
      trading_candles: 3,
      system_events: 3,
      trading_metrics: 7,
      otel_histograms: 1,
    });
    expect(res.body.pool).toMatchObject({ borrowed: 0 });
    expect(res.body.writer.rowsWritten).toBeGreaterThanOrEqual(19);
    expect(res.body.fileSizeBytes).toBeGreaterThan(0);
    expect(res.body.queries).toMatchObject({ running: 0, waiting: 0 });
    expect((await t.get('/api/v1/stats?verbose=1')).status).toBe(400);
  });
});

describe('query parameters', () => {
  it('refuses unknown and repeated parameters with a 400 naming them', async () => {
    const unknown = await t.get('/api/v1/trades?symbol=BTC/USD&sql=SELECT%201');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      error: {
        code: 'validation',
        field: 'sql',
        message: expect.stringContaining('unknown query parameter'),
      },
    });
    const repeated = await t.get('/api/v1/trades?symbol=a&symbol=b');
    expect(repeated.status).toBe(400);
    expect(repeated.body.error.field).toBe('symbol');
    expect((await t.get('/api/v1/events?label.x=1')).status).toBe(400);
  });

  it('refuses bad times, intervals and limits', async () => {
    for (const [query, field] of [
      ['from=yesterday', 'from'],
      ['from=2024-03-02T00:00:00Z&to=2024-03-01T00:00:00Z', 'from'],
      ['limit=0', 'limit'],
      ['limit=-5', 'limit'],
      ['limit=99999999', 'limit'],
    ] as const) {
      const res = await t.get(`/api/v1/trades?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.field, query).toBe(field);
    }
    const interval = await t.get('/api/v1/aggregate?name=x&interval=1y');
    expect(interval.body.error).toMatchObject({ code: 'validation', field: 'interval' });
  });

  it('treats SQL injection payloads as plain values and changes nothing', async () => {
    const before = (await t.get('/api/v1/stats')).body.tables;
    const payloads = [
      "/api/v1/trades?symbol=BTC/USD' OR '1'='1",
      "/api/v1/trades?strategy=x'; DROP TABLE trading_trades; --",
      '/api/v1/metrics?name=order_latency_ms&label.exchange%27%5D%20OR%201%3D1%20--=kraken',
      "/api/v1/metrics?name=order_latency_ms' UNION SELECT * FROM duckside_migrations --",
      "/api/v1/events?text=%' OR 1=1 --",
      "/api/v1/candles?symbol=BTC/USD'); DELETE FROM trading_candles; --",
      "/api/v1/performance?strategy=mm-1' OR 'a'='a",
    ];
    for (const path of payloads) {
      const res = await t.get(path.replaceAll(' ', '%20'));
      expect(res.status, path).toBe(200);
      expect(res.body.data, path).toEqual([]);
    }
    const grouped = await t.get(
      "/api/v1/aggregate?name=order_latency_ms&interval=1h&fn=count&groupBy=label.a'); DROP TABLE trading_metrics; --".replaceAll(
        ' ',
        '%20',
      ),
    );
    expect(grouped.body.data).toEqual([{ bucket: iso(T0), group: null, value: 4, samples: 4 }]);
    const refused = [
      '/api/v1/aggregate?name=x&fn=avg(value)); DROP TABLE trading_trades; --',
      "/api/v1/aggregate?name=x&interval=1 minute'); DROP TABLE trading_trades; --",
      '/api/v1/metrics?order=desc; DROP TABLE trading_trades',
      "/api/v1/events?severity=error' OR '1'='1",
    ];
    for (const path of refused) {
      const res = await t.get(path.replaceAll(' ', '%20'));
      expect(res.status, path).toBe(400);
      expect(JSON.stringify(res.body)).not.toMatch(/SELECT|DROP TABLE|FROM trading/i);
    }
    expect((await t.get('/api/v1/stats')).body.tables).toEqual(before);
  });
});
