import {
  compareResults,
  type PrometheusQueryData,
  type PrometheusServer,
  startPrometheus,
} from '@duckside/testkit/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from './helpers/poll.ts';
import { type ScrapeExporter, startScrapeExporter } from './helpers/scrape-exporter.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/*
 * A real Prometheus 2.42 scrapes an exporter on 127.0.0.1 every second and remote_writes to a real sidecar;
 * then Duckside must answer raw points, PromQL queries, series, labels and metadata exactly as that
 * Prometheus answers them over the same range.
 */

const TOKEN = 'w'.repeat(24);
const SCRAPES = 10;

let exporter: ScrapeExporter;
let sidecar: TestServer;
let prometheus: PrometheusServer;

const config = (target: string, writeUrl: string) => `
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: exporter
    static_configs:
      - targets: ['${target}']
remote_write:
  - url: ${writeUrl}
    authorization:
      credentials: ${TOKEN}
    queue_config:
      batch_send_deadline: 500ms
      max_samples_per_send: 20
    metadata_config:
      send_interval: 1s
`;

beforeAll(async () => {
  exporter = await startScrapeExporter();
  sidecar = await startTestServer({ token: TOKEN });
  prometheus = await startPrometheus({ config: config(exporter.target, `${sidecar.url}/api/v1/write`) });
}, 30_000);

afterAll(async () => {
  await prometheus?.stop();
  await sidecar?.close();
  await exporter?.close();
});

type Api = (path: string, params: Record<string, string>) => Promise<unknown>;

const ask =
  (base: string, headers: Record<string, string>): Api =>
  async (path, params) => {
    const res = await fetch(`${base}${path}?${new URLSearchParams(params)}`, { headers });
    const body = (await res.json()) as { status: string; data?: unknown; error?: string };
    if (body.status !== 'success') throw new Error(`${base}${path} ${JSON.stringify(params)}: ${body.error}`);
    return body.data;
  };

const RANGE_QUERIES = [
  'orders_total',
  'queue_depth',
  'feed_lag_seconds',
  'up',
  'scrape_samples_scraped',
  'rate(orders_total[3s])',
  'increase(orders_total[5s])',
  'resets(orders_total[10s])',
  'sum by (le) (rate(order_latency_seconds_bucket[3s]))',
  'histogram_quantile(0.9, rate(order_latency_seconds_bucket[3s]))',
  'order_latency_seconds_sum / order_latency_seconds_count',
  'count by (__name__) ({job="exporter"})',
];

/** Every difference between the two servers' answers over [start, end] (empty when they agree). */
async function differences(duckside: Api, theirs: Api, start: number, end: number): Promise<string[]> {
  const problems: string[] = [];
  const range = { start: String(start / 1000), end: String(end / 1000) };
  const compare = async (what: string, path: string, params: Record<string, string>) => {
    const [a, b] = await Promise.all([duckside(path, params), theirs(path, params)]);
    if (path.endsWith('query') || path.endsWith('query_range')) {
      const found = compareResults(a as PrometheusQueryData, b as PrometheusQueryData, false);
      problems.push(...found.map((p) => `${what}: ${p}`));
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      problems.push(`${what}: ${JSON.stringify(a).slice(0, 300)} != ${JSON.stringify(b).slice(0, 300)}`);
    }
  };
  // Raw points of every series, then PromQL at one-second steps.
  const seconds = Math.round((end - start) / 1000);
  await compare('raw', '/api/v1/query', { query: `{job="exporter"}[${seconds}s]`, time: range.end });
  for (const query of RANGE_QUERIES)
    await compare(query, '/api/v1/query_range', { query, ...range, step: '1s' });
  await compare('series', '/api/v1/series', { 'match[]': '{job="exporter"}', ...range });
  await compare('labels', '/api/v1/labels', range);
  await compare('names', '/api/v1/label/__name__/values', range);
  await compare('symbols', '/api/v1/label/symbol/values', range);
  // Prometheus answers the metadata of what its targets expose now; Duckside keeps every family it was sent
  // (feed_lag_seconds included, once gone): compare family by family.
  const families = Object.keys((await theirs('/api/v1/metadata', {})) as object);
  if (families.length < 3) problems.push(`Prometheus has metadata for ${families.length} families only`);
  for (const metric of families) await compare(`metadata ${metric}`, '/api/v1/metadata', { metric });
  return problems;
}

describe('remote_write from a real Prometheus 2.42', () => {
  it('stores what Prometheus scraped: the same raw points, query results, series and metadata', async () => {
    const theirs = ask(prometheus.url, {});
    const duckside = ask(sidecar.url, { authorization: `Bearer ${TOKEN}` });
    const scraped = await poll(async () => exporter.scrapes() > SCRAPES, 25_000);
    expect(scraped, prometheus.log()).toBe(true);
    const end = Math.floor(Date.now() / 1000) * 1000;
    const start = end - 30_000;
    let problems: string[] = [];
    // Remote write lags the scrapes by its batch deadline: wait for Duckside to hold everything up to `end`.
    await poll(async () => {
      problems = await differences(duckside, theirs, start, end);
      return problems.length === 0;
    }, 15_000);
    expect(problems).toEqual([]);
    // It did compare something: all series, the stale one and the reset included.
    const raw = (await duckside('/api/v1/query', {
      query: `{job="exporter"}[30s]`,
      time: String(end / 1000),
    })) as { result: Array<{ metric: Record<string, string>; values: unknown[] }> };
    const names = new Set(raw.result.map((s) => s.metric.__name__));
    for (const name of [
      'orders_total',
      'queue_depth',
      'feed_lag_seconds',
      'order_latency_seconds_bucket',
      'up',
    ])
      expect(names).toContain(name);
    // Four scrapes exposed it (fewer samples if a scrape timed out on a loaded machine), then it went stale.
    const feedLag = raw.result.find((s) => s.metric.__name__ === 'feed_lag_seconds')?.values.length ?? 0;
    expect(feedLag).toBeGreaterThanOrEqual(1);
    expect(feedLag).toBeLessThanOrEqual(4);
    expect(raw.result.find((s) => s.metric.__name__ === 'up')?.values.length).toBeGreaterThanOrEqual(SCRAPES);
  }, 45_000);
});
