import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { poll } from './helpers/poll.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

describe('health, self-metrics and retention', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      retention: { maxAge: { trading_trades: '1d', system_events: '1h' }, interval: '100ms' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('/healthz says alive and /readyz checks the database, its file and the disk', async () => {
    expect((await t.get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await t.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { lifecycle: 'ok', database: 'ok', query: 'ok', writable: 'ok', disk: 'ok' },
    });
  });

  it('deletes rows older than each table maximum age and shows it in /metrics', async () => {
    const now = Date.now();
    const trade = (timestamp: number) => ({
      timestamp,
      symbol: 'X/Y',
      venue: 'v',
      side: 'buy',
      quantity: 1,
      price: 1,
    });
    await t.post('/api/v1/trades', [trade(now - 3 * 86_400_000), trade(now - 2 * 86_400_000), trade(now)]);
    await t.post('/api/v1/events', [
      { timestamp: now - 2 * 3_600_000, severity: 'info', source: 'old', message: 'old' },
      { timestamp: now, severity: 'info', source: 'new', message: 'new' },
    ]);
    const deleted = await poll(async () => {
      const text = (await t.get('/metrics')).body as string;
      return (
        /duckside_retention_deleted_rows_total\{table="trading_trades"\} 2\n/.test(text) &&
        /duckside_retention_deleted_rows_total\{table="system_events"\} 1\n/.test(text)
      );
    });
    expect(deleted).toBe(true);
    expect((await t.get('/api/v1/trades')).body.count).toBe(1);
    expect((await t.get('/api/v1/events')).body.data.map((e: { source: string }) => e.source)).toEqual([
      'new',
    ]);
    const text = (await t.get('/metrics')).body as string;
    expect(text).toMatch(/duckside_retention_max_age_seconds\{table="trading_trades"\} 86400\n/);
    expect(text).toMatch(/duckside_retention_runs_total\{outcome="ok"\} \d+\n/);
  });

  it('exposes ingest, queue, pool, query latency and file size in the Prometheus text format', async () => {
    await t.get('/api/v1/trades?limit=5');
    const res = await fetch(`${t.url}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    for (const pattern of [
      /^# TYPE duckside_ingested_rows_total counter$/m,
      /^duckside_ingested_rows_total\{signal="trades"\} 3$/m,
      /^duckside_ingested_rows_total\{signal="events"\} 2$/m,
      /^# TYPE duckside_rejected_rows_total counter$/m,
      /^duckside_write_queue_bytes 0$/m,
      /^duckside_write_queue_jobs 0$/m,
      /^duckside_db_commits_total [1-9]\d*$/m,
      /^duckside_db_pool_connections\{state="borrowed"\} \d+$/m,
      /^duckside_db_pool_connections\{state="open"\} [1-9]\d*$/m,
      /^duckside_db_pool_max \d+$/m,
      /^# TYPE duckside_query_duration_seconds histogram$/m,
      /^duckside_query_duration_seconds_bucket\{endpoint="trades",outcome="ok",le="\+Inf"\} [1-9]\d*$/m,
      /^duckside_query_duration_seconds_count\{endpoint="trades",outcome="ok"\} [1-9]\d*$/m,
      /^duckside_db_file_size_bytes [1-9]\d*$/m,
      /^duckside_http_requests_total\{route="\/api\/v1\/trades",method="POST",status="200"\} 1$/m,
      /^duckside_wal_recoveries_total 0$/m,
      /^# TYPE duckside_otlp_points_ingested_total counter$/m,
      /^duckside_build_info\{version="\d+\.\d+\.\d+",node="v\d+/m,
    ]) {
      expect(text).toMatch(pattern);
    }
    for (const line of text.split('\n').filter((l) => l.length > 0 && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?\d+(\.\d+)?(e[+-]?\d+)?|NaN|[+-]Inf)$/);
    }
  });
});

describe('draining', () => {
  it('answers new requests 503 shutting_down with Retry-After and Connection: close', async () => {
    const t = await startTestServer();
    try {
      const sidecar = await createApp({ db: t.server.db });
      sidecar.tracker.beginDrain();
      const res = await sidecar.app.request('/api/v1/stats');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('connection')).toBe('close');
      expect(await res.json()).toEqual({
        error: { code: 'shutting_down', message: 'the sidecar is shutting down' },
      });
    } finally {
      await t.close();
    }
  });
});

describe('fault injection', () => {
  it('answers ingest 503 with Retry-After when enabled, leaving queries alone', async () => {
    const t = await startTestServer({ faults: { enabled: true, spec: 'ingest503:1' } });
    try {
      const res = await t.post('/api/v1/events', [{ severity: 'info', source: 's', message: 'm' }]);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('fault');
      expect(res.headers.get('retry-after')).toBe('1');
      expect((await t.get('/api/v1/events')).body.count).toBe(0);
      expect(t.logs.some((l) => l.msg === 'FAULT INJECTION IS ON')).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('ignores DUCKSIDE_FAULTS unless enabled or NODE_ENV=test', async () => {
    const off = await startTestServer({ faults: { spec: 'ingest503:1' } });
    try {
      expect((await off.post('/api/v1/events', [])).status).toBe(200);
      expect(off.logs.some((l) => String(l.msg).includes('DUCKSIDE_FAULTS is ignored'))).toBe(true);
    } finally {
      await off.close();
    }
    const test = await startTestServer({ faults: { spec: 'ingest503:1' } }, { env: { NODE_ENV: 'test' } });
    try {
      expect((await test.post('/api/v1/events', [])).status).toBe(503);
    } finally {
      await test.close();
    }
  });
});
