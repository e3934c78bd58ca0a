import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { AGGREGATIONS } from '@duckside/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_PUBLIC_PATHS } from '../src/plugins/dashboard/static-assets.ts';
import { type DashboardSeed, startSeededSidecar } from './dashboard-seed.ts';
import type { TestServer } from './helpers/test-server.ts';

const TOKEN = 'dashboard-routes-token-0123456789';
const STATIC_DIR = fileURLToPath(new URL('../src/plugins/dashboard/static/', import.meta.url));
const require = createRequire(import.meta.url);

let server: TestServer;
let seed: DashboardSeed;

/** A request without the token (and without compression unless asked). */
function anonymous(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity', ...headers } });
}

/** The raw bytes of a GET (fetch would inflate a gzip body). */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('dashboard routes', () => {
  beforeAll(async () => {
    ({ server, seed } = await startSeededSidecar(TOKEN));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('serves the page at / without a token, with a same-origin-only content security policy', async () => {
    const res = await anonymous('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(await res.text()).toBe(readFileSync(`${STATIC_DIR}index.html`, 'utf8'));
  });

  it('lists exactly the files of the page and uPlot as public, and serves each of them', async () => {
    const files = readdirSync(STATIC_DIR).filter((f) => f !== 'index.html');
    expect([...DASHBOARD_PUBLIC_PATHS].sort()).toEqual(
      ['/', ...[...files, 'uplot.js', 'uplot.css'].map((f) => `/dashboard/${f}`)].sort(),
    );
    for (const path of DASHBOARD_PUBLIC_PATHS) {
      const res = await anonymous(path);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('serves uPlot from the installed package, gzipped when asked, and answers 304 to a matching ETag', async () => {
    const installed = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'));
    const plain = await anonymous('/dashboard/uplot.js');
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(Buffer.from(await plain.arrayBuffer()).equals(installed)).toBe(true);

    const zipped = await rawGet('/dashboard/uplot.js', { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(installed.length / 2);
    expect(gunzipSync(zipped.body).equals(installed)).toBe(true);

    const etag = plain.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    const again = await anonymous('/dashboard/uplot.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('answers 404 for files it does not have (and serves index.html only at /)', async () => {
    expect((await server.get('/dashboard/missing.js')).status).toBe(404);
    expect((await server.get('/dashboard/index.html')).status).toBe(404);
    expect((await server.get('/dashboard/..%2Fdashboard-plugin.ts')).status).toBe(404);
  });

  it('keeps its data behind the token', async () => {
    for (const path of ['/api/v1/dashboard/summary', '/api/v1/dashboard/catalog']) {
      const res = await anonymous(path);
      expect(res.status, path).toBe(401);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toBe('unauthorized');
    }
  });

  it('summarises row counts, database size and ingest rate', async () => {
    // The meter needs a second of history before it reports a rate.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { status, body } = await server.get('/api/v1/dashboard/summary');
    expect(status).toBe(200);
    const rows = Object.fromEntries(
      body.tables.map((t: { table: string; rows: number }) => [t.table, t.rows]),
    );
    expect(rows).toEqual({
      trading_metrics: 1080,
      otel_histograms: 60,
      otel_exp_histograms: 60,
      otel_summaries: 60,
      trading_candles: 60,
      trading_trades: 360,
      system_events: 11,
    });
    expect(body.totalRows).toBe(1691);
    expect(body.rowsWritten).toBeGreaterThanOrEqual(1691);
    expect(body.databaseBytes).toBeGreaterThan(0);
    expect(body.ingestRowsPerSecond).toBeGreaterThan(0);
    const newest = body.tables.find((t: { table: string }) => t.table === 'trading_candles').newest;
    expect(Date.parse(newest)).toBe(Date.parse(seed.candles.at(-1)?.timestamp as string));
  });

  it('lists metric names with their kind, market symbols with stored intervals, and metric symbols', async () => {
    const { status, body } = await server.get('/api/v1/dashboard/catalog');
    expect(status).toBe(200);
    expect(body).toEqual({
      metrics: [
        { name: 'http.server.duration', kind: 'histogram' },
        { name: 'order.latency', kind: 'exponentialHistogram' },
        { name: 'order_latency_ms', kind: 'scalar' },
        { name: 'quote_mid', kind: 'scalar' },
        { name: 'rpc.duration', kind: 'summary' },
      ],
      markets: [
        { symbol: 'BTC/USD', intervals: ['1m'], trades: false },
        { symbol: 'ETH/USD', intervals: [], trades: true },
      ],
      metricSymbols: ['BTC/USD', 'ETH/USD'],
      aggregations: [...AGGREGATIONS],
    });
  });

  it('reuses the catalog until asked for a fresh one', async () => {
    const metric = { name: 'fill_ratio', value: 0.5, timestamp: Date.now() - 1000, symbol: 'SOL/USD' };
    expect((await server.post('/api/v1/metrics', [metric])).status).toBe(200);
    const cached = await server.get('/api/v1/dashboard/catalog');
    expect(cached.body.metricSymbols).not.toContain('SOL/USD');
    const fresh = await server.get('/api/v1/dashboard/catalog?fresh=1');
    expect(fresh.body.metricSymbols).toContain('SOL/USD');
    expect(fresh.body.metrics).toContainEqual({ name: 'fill_ratio', kind: 'scalar' });
  });

  it('refuses parameters it does not take', async () => {
    const { status, body } = await server.get('/api/v1/dashboard/catalog?sql=select%201');
    expect(status).toBe(400);
    expect(body.error.field).toBe('sql');
  });
});
