import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const SEED_ROWS = 2_000_000;
/** A query that takes well over the time limit on the seeded rows (window functions over 1000 label groups). */
const SLOW = '/api/v1/aggregate?name=load&interval=1s&fn=rate&groupBy=label.k';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({
    query: { timeout: '300ms', maxRows: 3, maxBuckets: 1000, maxConcurrent: 1, maxQueued: 0 },
  });
  // 1000 series of the metric 'load' (one per label value), points spread over them.
  await t.server.db.withConnection((c) =>
    c.run(`INSERT INTO metric_series (series_id, name, attributes)
      SELECT i, 'load', '{"k":"' || i || '"}' FROM range(1000) t(i);
    INSERT INTO metric_points (series_id, ts, time_unix_nano, kind, value)
      SELECT i % 1000, to_timestamp(1704067200 + i / 1000.0)::TIMESTAMP, (1704067200000 + i) * 1000000, 1, random()
      FROM range(${SEED_ROWS}) t(i)`),
  );
});

afterAll(async () => {
  await t?.close();
});

describe('query limits', () => {
  it('caps rows and says the response was truncated', async () => {
    // A closed range: the newest points are found in its last part, well inside the 300 ms limit.
    const range = 'from=2024-01-01T00:00:00Z&to=2024-01-01T00:33:20Z'; // the seeded points' span
    const res = await t.get(`/api/v1/metrics?name=load&limit=10&${range}`);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(res.body.truncated).toBe(true);
    const exact = await t.get(`/api/v1/metrics?name=load&limit=3&${range}`);
    expect(exact.body).toMatchObject({ count: 3, truncated: false });
  });

  it('refuses a range with more buckets than allowed', async () => {
    const res = await t.get(
      '/api/v1/aggregate?name=load&interval=1s&from=2024-01-01T00:00:00Z&to=2024-01-01T01:00:00Z',
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation', field: 'interval' });
    expect(res.body.error.message).toContain('3600 buckets');
    const candles = await t.get('/api/v1/candles?source=trades&interval=1s&from=0&to=86400000');
    expect(candles.status).toBe(400);
  });

  it('interrupts a query over the time limit with 504 and leaves the connection usable', async () => {
    const res = await t.get(SLOW);
    expect(res.status).toBe(504);
    expect(res.body).toEqual({ error: { code: 'timeout', message: expect.stringContaining('time limit') } });
    const after = await t.get('/api/v1/metrics?name=load&limit=1&order=asc');
    expect(after.status).toBe(200);
    expect(after.body.data[0].timestamp).toBe('2024-01-01T00:00:00.000000000Z');
    const stats = await t.get('/api/v1/stats');
    expect(stats.body.pool.borrowed).toBe(0);
    const metrics = await t.get('/metrics');
    expect(metrics.body).toMatch(
      /duckside_query_duration_seconds_count\{endpoint="aggregate",outcome="timeout"\} 1/,
    );
  });

  it('answers 503 with Retry-After beyond the concurrency bound while ingest and /readyz stay responsive', async () => {
    const slow = t.get(SLOW);
    await new Promise((r) => setTimeout(r, 50));
    const busy = await t.get('/api/v1/trades');
    expect(busy.status).toBe(503);
    expect(busy.body.error.code).toBe('overloaded');
    expect(busy.headers.get('retry-after')).toBe('1');
    const ready = await t.get('/readyz');
    expect(ready.status).toBe(200);
    const stored = await t.post('/api/v1/events', [
      { severity: 'info', source: 'test', message: 'during a slow query' },
    ]);
    expect(stored.body).toEqual({ stored: 1 });
    expect((await slow).status).toBe(504);
    expect((await t.get('/api/v1/events?source=test')).body.count).toBe(1);
  });
});
