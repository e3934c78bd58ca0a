import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '@duckside/core';
import { tempDir } from '@duckside/testkit';
import { afterAll, beforeAll, describe, type ExpectStatic, expect, it } from 'vitest';
import {
  compileSeriesSelect,
  evaluatePromql,
  labelValues,
  type PrometheusData,
  PromqlError,
  seriesLabelSets,
  toPrometheusData,
} from '../src/index.ts';
import { compareResults } from './conformance/compare.ts';
import { type PrometheusServer, startPrometheus } from './conformance/prometheus-server.ts';
import { SPAN_MS, seedData, T0, toMetricBatch, toOpenMetrics } from './conformance/seed-data.ts';

/*
 * Conformance against a real Prometheus 2.42 (Debian's package, installed by scripts/ensure-test-deps.sh): one
 * seeded data set goes into a Duckside database through core's write API and, as OpenMetrics, into a
 * throwaway Prometheus; every corpus query must answer the same in both.
 */

const CASES = readFileSync(join(import.meta.dirname, 'conformance', 'corpus.promql'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l.length > 0 && !l.startsWith('#'))
  .map((line) => ({ instantOnly: line.startsWith('[i]'), query: line.replace(/^\[i\]\s*/, '') }));

const INSTANT_MS = T0 + 75 * 60_000;
const RANGE = { start: T0 + 2 * 60_000, end: T0 + SPAN_MS + 10 * 60_000, step: 60_000 };

type Answer = { data: PrometheusData } | { error: string };

let prometheus: PrometheusServer;
let db: Database;
let dir: Awaited<ReturnType<typeof tempDir>>;

async function askPrometheus(path: string, params: Record<string, string>): Promise<Answer> {
  const body = (await (await fetch(`${prometheus.url}${path}?${new URLSearchParams(params)}`)).json()) as {
    status: string;
    data?: unknown;
    error?: string;
  };
  return body.status === 'success' ? { data: body.data as PrometheusData } : { error: String(body.error) };
}

async function askDuckside(query: string, options: Parameters<typeof evaluatePromql>[2]): Promise<Answer> {
  try {
    return { data: toPrometheusData(await evaluatePromql(db, query, options)) };
  } catch (error) {
    if (error instanceof PromqlError) return { error: `${error.code}: ${error.message}` };
    throw error;
  }
}

/** Asserts with the test's own `expect` (the cases run concurrently). */
function check(expect: ExpectStatic, ours: Answer, theirs: Answer, query: string): void {
  if ('error' in theirs) {
    expect('error' in ours, `Prometheus refuses ${query} (${theirs.error}); Duckside answered`).toBe(true);
    return;
  }
  expect('data' in ours ? [] : [(ours as { error: string }).error]).toEqual([]);
  expect(
    compareResults((ours as { data: PrometheusData }).data, theirs.data, /^sort(_desc)?\(/.test(query)),
  ).toEqual([]);
}

describe('PromQL conformance with Prometheus 2.42', () => {
  beforeAll(async () => {
    const data = seedData(20_231_114);
    dir = await tempDir('promql-duckside-');
    db = await Database.open(join(dir.path, 'conformance.duckdb'));
    await db.writeMetricBatch(toMetricBatch(data));
    prometheus = await startPrometheus(toOpenMetrics(data));
  });

  afterAll(async () => {
    await prometheus?.stop();
    await db?.close();
    await dir?.remove();
  });

  it('has a corpus of at least 80 queries', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
  });

  it.concurrent.for(CASES)('instant: $query', async ({ query }, { expect }) => {
    const theirs = await askPrometheus('/api/v1/query', { query, time: String(INSTANT_MS / 1000) });
    check(expect, await askDuckside(query, { time: INSTANT_MS }), theirs, query);
  });

  it.concurrent.for([
    ['{__name__=~".+"}'],
    ['orders_total'],
    ['order_latency_seconds_bucket{le="0.5"}', 'spread_bps{symbol!="BTC/USD"}'],
    ['{__name__=~"order_latency_seconds_(sum|count)"}'],
    ['{job=~"o.s|ri.k",symbol!~"ETH.*"}'],
    ['orders_total{symbol=~"BTC.*"}', '{__name__=~".*_total",job!="oms"}'],
  ])('series: %s', async (matches, { expect }) => {
    const range = { start: String(T0 / 1000 + 600), end: String((T0 + SPAN_MS) / 1000 - 600) };
    const query = new URLSearchParams(range);
    for (const m of matches) query.append('match[]', m);
    const theirs = (await (await fetch(`${prometheus.url}/api/v1/series?${query}`)).json()) as {
      data: Record<string, string>[];
    };
    const [start, end] = [Number(range.start) * 1000, Number(range.end) * 1000];
    const inSql = (await db.query(compileSeriesSelect(matches, start, end))).rows.map((r) =>
      Object.fromEntries(r.k.map((k, i) => [k, r.lv[i] as string])),
    );
    const onCatalog = await seriesLabelSets(db, matches, start, end);
    const keys = (list: Record<string, string>[]) =>
      list.map((l) => JSON.stringify(Object.entries(l).sort())).sort();
    expect(theirs.data.length).toBeGreaterThan(0);
    expect(keys(inSql)).toEqual(keys(theirs.data));
    expect(keys(onCatalog)).toEqual(keys(theirs.data));
  });

  it.concurrent.for([
    ['symbol', []],
    ['job', []],
    ['instance', []],
    ['le', []],
    ['__name__', []],
    ['side', []],
    ['symbol', ['order_latency_seconds_bucket']],
    ['job', ['{__name__=~".*_total"}', 'spread_bps']],
  ] as [string, string[]][])('label values: %s %j', async ([name, matches], { expect }) => {
    const range = { start: String(T0 / 1000 + 600), end: String((T0 + SPAN_MS) / 1000 - 600) };
    const query = new URLSearchParams(range);
    for (const m of matches) query.append('match[]', m);
    const theirs = (await (await fetch(`${prometheus.url}/api/v1/label/${name}/values?${query}`)).json()) as {
      data: string[];
    };
    const ours = await labelValues(db, name, matches, Number(range.start) * 1000, Number(range.end) * 1000);
    expect(theirs.data.length).toBeGreaterThan(0);
    expect(ours.sort()).toEqual(theirs.data);
  });

  it.concurrent.for(CASES.filter((c) => !c.instantOnly))('range: $query', async ({ query }, { expect }) => {
    const theirs = await askPrometheus('/api/v1/query_range', {
      query,
      start: String(RANGE.start / 1000),
      end: String(RANGE.end / 1000),
      step: String(RANGE.step / 1000),
    });
    check(expect, await askDuckside(query, RANGE), theirs, query);
  });
});
