import { readFileSync } from 'node:fs';
import { distributionStats, expHistogramQuantiles, summaryQuantiles } from '@duckside/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';

const FIXTURES = '/work/shared/fixtures/otlp';
const T = 1544712660300000000n;
const T_MS = Number(T / 1_000_000n);

/** The fixture request with its metrics replaced by `metrics` (same resource and scope). */
function fixtureWith(metrics: unknown[]): string {
  const request = JSON.parse(readFileSync(`${FIXTURES}/metrics.json`, 'utf8'));
  request.resourceMetrics[0].scopeMetrics[0].metrics = metrics;
  return JSON.stringify(request);
}

/** An OTLP/JSON summary point of series `symbol`, `seconds` after the fixture's time. */
function summaryPoint(symbol: string, seconds: number, count: number, sum: number, p50: number, p99: number) {
  return {
    startTimeUnixNano: T.toString(),
    timeUnixNano: (T + BigInt(seconds) * 1_000_000_000n).toString(),
    count: String(count),
    sum,
    quantileValues: [
      { quantile: 0.5, value: p50 },
      { quantile: 0.99, value: p99 },
    ],
    attributes: [{ key: 'symbol', value: { stringValue: symbol } }],
  };
}

describe('distribution queries over the OTLP example payloads', () => {
  let server: OtlpTestServer;
  beforeEach(async () => {
    server = await startOtlpServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const post = async (body: string) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
  };

  it("reads the exponential histogram of metrics.json: log-linear inside (4, 8], the zero bucket's rank at 0", async () => {
    await post(readFileSync(`${FIXTURES}/metrics.json`, 'utf8'));
    // Scale 0, zero count 1, positive offset 1 counts [0, 2]: two observations in bucket 2, (4, 8].
    const { rows } = await server.db.execute(
      expHistogramQuantiles('my.exponential.histogram').quantiles([0.2, 0.5, 1]),
    );
    expect(rows.map((r) => [r.quantile, r.value, r.count])).toEqual([
      [0.2, 0, 3],
      [0.5, expect.closeTo(2 ** 2.25, 12), 3],
      [1, 8, 3],
    ]);
    const stats = await server.db.execute(
      distributionStats('otel_exp_histograms', 'my.exponential.histogram'),
    );
    expect(stats.rows.map((r) => [r.bucket.getTime(), r.count, r.sum, r.min, r.max])).toEqual([
      [Math.floor(T_MS / 60_000) * 60_000, 3, 10, 0, 5],
    ]);
  });

  it('reads summaries sent in the format of metrics.json: last quantiles per series, count and sum rises', async () => {
    await post(
      fixtureWith([
        {
          name: 'rpc.duration',
          unit: 'ms',
          description: 'I am a Summary',
          summary: {
            dataPoints: [
              summaryPoint('BTC/USD', 0, 10, 50, 4, 9),
              summaryPoint('BTC/USD', 20, 30, 170, 5, 11),
              summaryPoint('ETH/USD', 20, 4, 8, 2, 3),
            ],
          },
        },
      ]),
    );
    const bySymbol = await server.db.execute(
      summaryQuantiles('rpc.duration').interval('1h').groupBy({ by: 'symbol' }),
    );
    expect(bySymbol.rows.map((r) => [r.group, r.quantile, r.value, r.series])).toEqual([
      ['BTC/USD', 0.5, 5, 1],
      ['BTC/USD', 0.99, 11, 1],
      ['ETH/USD', 0.5, 2, 1],
      ['ETH/USD', 0.99, 3, 1],
    ]);
    const merged = await server.db.execute(summaryQuantiles('rpc.duration').quantiles([0.99]).interval('1h'));
    expect(merged.rows.map((r) => [r.value, r.series])).toEqual([[7, 2]]);
    // Both series started at the fixture's time, inside the (open) range: their first points count in full.
    const stats = await server.db.execute(distributionStats('otel_summaries', 'rpc.duration').interval('1h'));
    expect(stats.rows.map((r) => [r.count, r.sum, r.countRate, r.points])).toEqual([[34, 178, 34 / 3600, 3]]);
  });
});
