import { expect } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/**
 * Deterministic market data for the dashboard tests, relative to `now`: stored 1-minute BTC/USD candles, ETH/USD
 * trades every 10 s (strategies mm and taker) with the quoted mid (`quote_mid`) half a second before each, a latency
 * metric per symbol and venue, latency histograms of both kinds and a summary (OTLP JSON) and events of every
 * severity, all within the last hour.
 */
export interface DashboardSeed {
  candles: Array<Record<string, unknown>>;
  trades: Array<Record<string, unknown>>;
  metrics: Array<Record<string, unknown>>;
  events: Array<Record<string, unknown>>;
  /**
   * An OTLP/JSON `ExportMetricsServiceRequest` with one point per minute of a delta histogram, a delta exponential
   * histogram and a summary.
   */
  otlpHistogram: Record<string, unknown>;
  /** An OTLP/JSON `ExportLogsServiceRequest` with one log record (stored as an event with its OTLP fields). */
  otlpLog: Record<string, unknown>;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Builds the seed for an hour ending at `now` (ms), minute-aligned. */
export function dashboardSeed(now: number): DashboardSeed {
  const end = Math.floor(now / 60_000) * 60_000;
  const start = end - 60 * 60_000;
  const candles = Array.from({ length: 60 }, (_, i) => {
    const open = round2(64_000 + 150 * Math.sin(i / 6) + i * 3);
    const close = round2(open + 40 * Math.sin(i * 1.7));
    return {
      symbol: 'BTC/USD',
      venue: 'kraken',
      interval: '1m',
      timestamp: new Date(start + i * 60_000).toISOString(),
      open,
      high: round2(Math.max(open, close) + 15 + (i % 5) * 4),
      low: round2(Math.min(open, close) - 12 - (i % 3) * 5),
      close,
      volume: round2(2 + (i % 7) * 0.75),
    };
  });
  const trades = Array.from({ length: 360 }, (_, k) => ({
    timestamp: start + k * 10_000 + 1_000,
    symbol: 'ETH/USD',
    venue: 'coinbase',
    side: k % 2 === 0 ? 'buy' : 'sell',
    quantity: round2(0.1 + (k % 9) * 0.05),
    price: round2(3_200 + 25 * Math.sin(k / 20) + 3 * Math.sin(k * 1.3)),
    fee: 0.01,
    orderId: `o-${k}`,
    tradeId: `t-${k}`,
    strategy: k % 4 === 0 ? 'taker' : 'mm',
  }));
  // The quoted mid half a second before each trade, about 0.4 away from its price (against the trade).
  const quotes = trades.map((t, k) => ({
    name: 'quote_mid',
    value: round2(t.price + (t.side === 'buy' ? -0.4 : 0.4) + 0.1 * Math.sin(k)),
    timestamp: t.timestamp - 500,
    symbol: 'ETH/USD',
  }));
  const latencies = ['BTC/USD', 'ETH/USD'].flatMap((symbol, s) =>
    Array.from({ length: 360 }, (_, k) => ({
      name: 'order_latency_ms',
      value: round2(4 + 2 * Math.sin(k / 15) + s * 1.5 + (k % 4) * 0.25),
      timestamp: start + k * 10_000 + 2_000,
      symbol,
      labels: { venue: s === 0 ? 'kraken' : 'coinbase' },
    })),
  );
  const severities = ['debug', 'info', 'warning', 'error', 'critical'];
  const events = Array.from({ length: 10 }, (_, i) => ({
    timestamp: start + (i + 1) * 5 * 60_000,
    severity: severities[i % severities.length],
    source: i % 2 === 0 ? 'gateway' : 'risk',
    message: `event ${i}: ${['heartbeat', 'reconnected', 'spread wide', 'order rejected', 'kill switch'][i % 5]}`,
    attributes: { venue: 'kraken', attempt: i },
  }));
  const bounds = [1, 2, 5, 10, 20, 50];
  const dataPoints = Array.from({ length: 60 }, (_, i) => {
    const counts = [2, 10 + (i % 5), 30, 12 + (i % 3) * 4, 4, 1 + (i % 2), i % 2];
    const time = BigInt(start + i * 60_000 + 30_000) * 1_000_000n;
    return {
      startTimeUnixNano: (time - 60_000_000_000n).toString(),
      timeUnixNano: time.toString(),
      count: String(counts.reduce((a, b) => a + b, 0)),
      sum: 400 + i,
      bucketCounts: counts.map(String),
      explicitBounds: bounds,
      attributes: [{ key: 'symbol', value: { stringValue: 'BTC/USD' } }],
    };
  });
  // The same minutes as exponential histograms (scale 2, buckets from (2^(10/4), 2^(11/4)]) and as summaries.
  const expPoints = dataPoints.map((p, i) => ({
    startTimeUnixNano: p.startTimeUnixNano,
    timeUnixNano: p.timeUnixNano,
    count: String(40 + (i % 7)),
    sum: 300 + i,
    scale: 2,
    zeroCount: '0',
    zeroThreshold: 0,
    positive: { offset: 10, bucketCounts: ['5', String(20 + (i % 7)), '10', '4', '1'] },
    attributes: p.attributes,
  }));
  const summaryPoints = dataPoints.map((p, i) => ({
    startTimeUnixNano: String(BigInt(start) * 1_000_000n),
    timeUnixNano: p.timeUnixNano,
    count: String((i + 1) * 10),
    sum: (i + 1) * 55,
    quantileValues: [
      { quantile: 0.5, value: 4 + (i % 3) },
      { quantile: 0.9, value: 8 + (i % 3) },
      { quantile: 0.99, value: 15 + (i % 4) },
    ],
    attributes: [{ key: 'symbol', value: { stringValue: 'ETH/USD' } }],
  }));
  const otlpHistogram = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'order-gateway' } }] },
        scopeMetrics: [
          {
            scope: { name: 'gateway' },
            metrics: [
              {
                name: 'http.server.duration',
                unit: 'ms',
                histogram: { aggregationTemporality: 1, dataPoints },
              },
              {
                name: 'order.latency',
                unit: 'ms',
                exponentialHistogram: { aggregationTemporality: 1, dataPoints: expPoints },
              },
              { name: 'rpc.duration', unit: 'ms', summary: { dataPoints: summaryPoints } },
            ],
          },
        ],
      },
    ],
  };
  return {
    candles,
    trades,
    metrics: [...latencies, ...quotes],
    events,
    otlpHistogram,
    otlpLog: otlpLog(start),
  };
}

/** One OTLP/JSON log record with every field the events panel shows (trace, event name, service, scope). */
function otlpLog(start: number): Record<string, unknown> {
  const time = BigInt(start + 52 * 60_000) * 1_000_000n;
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'order-gateway' } }] },
        scopeLogs: [
          {
            scope: { name: 'gateway-logger', version: '2.1.0' },
            logRecords: [
              {
                timeUnixNano: time.toString(),
                observedTimeUnixNano: (time + 1_500_000n).toString(),
                severityNumber: 17,
                severityText: 'ERROR',
                body: { stringValue: 'venue disconnected' },
                attributes: [{ key: 'venue', value: { stringValue: 'kraken' } }],
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                flags: 1,
                eventName: 'venue.disconnect',
              },
            ],
          },
        ],
      },
    ],
  };
}

/**
 * Starts a sidecar with `token` (the dashboard is a built-in plugin) and stores the seed of the last hour through
 * the ingest API and OTLP/HTTP.
 * @example const { server, seed } = await startSeededSidecar('a-long-test-token-123');
 */
export async function startSeededSidecar(
  token: string,
): Promise<{ server: TestServer; seed: DashboardSeed }> {
  const server = await startTestServer({ token });
  const seed = dashboardSeed(Date.now());
  for (const [path, body] of [
    ['/api/v1/candles', seed.candles],
    ['/api/v1/trades', seed.trades],
    ['/api/v1/metrics', seed.metrics],
    ['/api/v1/events', seed.events],
    ['/v1/metrics', seed.otlpHistogram],
    ['/v1/logs', seed.otlpLog],
  ] as const) {
    const reply = await server.post(path, body);
    expect(reply.status, `${path}: ${JSON.stringify(reply.body)}`).toBe(200);
  }
  return { server, seed };
}
