import { metrics } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from './helpers/poll.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/** The latest stored sample of a PromQL instant query, by the value of `label`. */
async function latest(t: TestServer, query: string, label: string): Promise<Map<string, number>> {
  const res = await t.get(`/api/v1/query?query=${encodeURIComponent(query)}`);
  expect(res.status).toBe(200);
  const result = res.body.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
  return new Map(result.map((r) => [r.metric[label] ?? '', Number(r.value[1])]));
}

describe('--self-telemetry', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ selfTelemetry: { enabled: true, interval: '200ms' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("stores core's own metrics in the sidecar's database as service duckside", async () => {
    const now = Date.now();
    const trades = [1, 2, 3].map((i) => ({
      timestamp: now - i,
      symbol: 'BTC/USD',
      venue: 'x',
      side: 'buy',
      quantity: 1,
      price: 100 + i,
    }));
    expect((await t.post('/api/v1/trades', trades)).status).toBe(200);
    expect((await t.get('/api/v1/trades?symbol=BTC/USD')).body.count).toBe(3);
    const rowsQuery = 'duckside_db_client_rows_written_total{job="duckside"}';
    // The query of /api/v1/trades is timed under its endpoint name.
    const queriesQuery =
      'db_client_operation_duration_seconds_count{job="duckside",db_operation_name="SELECT"}';
    let rows = new Map<string, number>();
    let queries = new Map<string, number>();
    // Both figures are in the first export after the GET (an earlier one may already hold the rows).
    const stored = await poll(async () => {
      rows = await latest(t, rowsQuery, 'db_collection_name');
      queries = await latest(t, queriesQuery, 'duckside_query_kind');
      return (rows.get('trading_trades') ?? 0) >= 3 && (queries.get('trades') ?? 0) >= 1;
    }, 10_000);
    expect(stored, JSON.stringify([[...rows], [...queries]])).toBe(true);
    const pool = await latest(
      t,
      'db_client_connection_max{job="duckside"}',
      'db_client_connection_pool_name',
    );
    expect([...pool.values()][0]).toBeGreaterThanOrEqual(2);
  });

  it('registered the process meter provider, and gives it up at shutdown', async () => {
    const other = await startTestServer({ selfTelemetry: { enabled: true, interval: '200ms' } });
    try {
      expect(
        other.logs.some((l) => String(l.msg ?? l.message).includes('already has a meter provider')),
      ).toBe(true);
    } finally {
      await other.close();
    }
    const provider = metrics.getMeterProvider();
    await t.close();
    expect(metrics.getMeterProvider()).not.toBe(provider);
  });
});
