import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const T0_NS = BigInt(Date.UTC(2024, 2, 1, 12)) * 1_000_000n;
const at = (seconds: number) => String(T0_NS + BigInt(seconds) * 1_000_000_000n);
const symbol = (s: string) => [{ key: 'symbol', value: { stringValue: s } }];

/** One OTLP/JSON request with an exponential histogram, a summary, and `reused` stored as both kinds. */
const REQUEST = {
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'oms' } }] },
      scopeMetrics: [
        {
          scope: { name: 'test' },
          metrics: [
            {
              name: 'order_latency',
              unit: 'ms',
              exponentialHistogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    // Scale 0: four observations in bucket 1, (2, 4]; one in the zero bucket.
                    startTimeUnixNano: at(0),
                    timeUnixNano: at(10),
                    count: '5',
                    sum: 12,
                    min: 0,
                    max: 4,
                    scale: 0,
                    zeroCount: '1',
                    zeroThreshold: 0,
                    positive: { offset: 1, bucketCounts: ['4'] },
                    negative: { offset: -2, bucketCounts: [] },
                    attributes: symbol('BTC/USD'),
                  },
                ],
              },
            },
            {
              name: 'rpc_duration',
              unit: 'ms',
              summary: {
                dataPoints: [
                  {
                    startTimeUnixNano: at(0),
                    timeUnixNano: at(20),
                    count: '8',
                    sum: 40,
                    quantileValues: [
                      { quantile: 0.5, value: 4 },
                      { quantile: 0.99, value: 9 },
                    ],
                    attributes: symbol('ETH/USD'),
                  },
                ],
              },
            },
            {
              name: 'reused',
              summary: { dataPoints: [{ timeUnixNano: at(30), count: '1', sum: 1, quantileValues: [] }] },
            },
            {
              name: 'reused',
              histogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  { timeUnixNano: at(30), count: '2', bucketCounts: ['1', '1'], explicitBounds: [1] },
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
  t = await startTestServer();
  const res = await t.post('/v1/metrics', REQUEST);
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/metrics with every kind', () => {
  it('returns exponential histogram and summary points with their own fields', async () => {
    const exp = await t.get('/api/v1/metrics?name=order_latency');
    expect(exp.body.data).toEqual([
      {
        timestamp: '2024-03-01T12:00:10.000000000Z',
        timeUnixNano: at(10),
        name: 'order_latency',
        startTimeUnixNano: at(0),
        temporality: 'delta',
        count: 5,
        sum: 12,
        min: 0,
        max: 4,
        scale: 0,
        zeroCount: 1,
        zeroThreshold: 0,
        positive: { offset: 1, bucketCounts: [4] },
        negative: { offset: -2, bucketCounts: [] },
        symbol: 'BTC/USD',
        service: 'oms',
        labels: { symbol: 'BTC/USD' },
        kind: 'exponentialHistogram',
      },
    ]);
    const summary = await t.get('/api/v1/metrics?name=rpc_duration');
    expect(summary.body.data).toEqual([
      expect.objectContaining({
        kind: 'summary',
        count: 8,
        sum: 40,
        startTimeUnixNano: at(0),
        quantileValues: [
          { quantile: 0.5, value: 4 },
          { quantile: 0.99, value: 9 },
        ],
      }),
    ]);
  });

  it('lists every kind newest first without a name', async () => {
    const all = await t.get('/api/v1/metrics');
    expect(all.body.data.map((r: { name: string; kind: string }) => [r.name, r.kind])).toEqual([
      ['reused', 'histogram'],
      ['reused', 'summary'],
      ['rpc_duration', 'summary'],
      ['order_latency', 'exponentialHistogram'],
    ]);
    expect(all.body.data[0]).toMatchObject({ bucketCounts: [1, 1], explicitBounds: [1], count: 2 });
  });
});

describe('GET /api/v1/histograms for every distribution kind', () => {
  it('finds an exponential histogram by name and interpolates log-linearly', async () => {
    const res = await t.get('/api/v1/histograms?name=order_latency&interval=1h&quantiles=0.1,0.6,1');
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('exponentialHistogram');
    // Rank 0.5 in the zero bucket [0, 0]; rank 3 is half way through (2, 4]: 2^1.5.
    expect(
      res.body.data.map((r: { quantile: number; value: number; count: number }) => [
        r.quantile,
        r.value,
        r.count,
      ]),
    ).toEqual([
      [0.1, 0, 5],
      [0.6, expect.closeTo(2 ** 1.5, 12), 5],
      [1, 4, 5],
    ]);
  });

  it("answers a summary's stored quantiles, only the asked ones", async () => {
    const res = await t.get('/api/v1/histograms?name=rpc_duration&interval=1h&quantiles=0.99,0.95');
    expect(res.body.kind).toBe('summary');
    expect(res.body.data).toEqual([
      { bucket: '2024-03-01T12:00:00.000Z', group: null, quantile: 0.99, value: 9, series: 1 },
    ]);
  });

  it('answers [] for an unknown name, and asks for kind when a name is two kinds', async () => {
    expect((await t.get('/api/v1/histograms?name=nothing')).body).toEqual({
      data: [],
      count: 0,
      truncated: false,
      kind: null,
    });
    const both = await t.get('/api/v1/histograms?name=reused');
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ code: 'validation', field: 'kind' });
    const chosen = await t.get('/api/v1/histograms?name=reused&kind=histogram&quantiles=0.5&interval=1h');
    expect(chosen.body).toMatchObject({ kind: 'histogram', count: 1 });
    const bad = await t.get('/api/v1/histograms?name=reused&kind=gauge');
    expect(bad.body.error).toMatchObject({ code: 'validation', field: 'kind' });
  });
});
