import { Database, MetricRecord } from '@duckside/core';
import {
  emptyHistogramPoint,
  emptyScalarPoint,
  emptySeriesContext,
  emptySummaryPoint,
  encodeAttributes,
  MetricBatch,
  MetricKind,
  Temporality,
} from '@duckside/core/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePromql, evaluatePromql, PromqlExecutionError, type PromqlResult } from '../src/index.ts';

/* Duckside-specific semantics the Prometheus conformance corpus cannot show: OTLP kinds, flags, temporality. */

const MIN = 60_000;
let db: Database;

function scalar(kind: 1 | 2, temporality: 0 | 1 | 2, ms: number, value: number, flags = 0) {
  const p = emptyScalarPoint();
  p.timeMicros = ms * 1000;
  p.kind = kind;
  p.temporality = temporality;
  p.isMonotonic = kind === MetricKind.Sum ? true : null;
  p.value = value;
  p.flags = flags;
  p.attributes = encodeAttributes({ 'http.method': 'GET' });
  return p;
}

function vectorOf(r: PromqlResult): { metric: Record<string, string>; value: number }[] {
  if (r.resultType !== 'vector') throw new Error(`expected a vector, got ${r.resultType}`);
  return r.result.map((s) => ({ metric: s.metric, value: s.value }));
}

beforeAll(async () => {
  db = await Database.open(':memory:');
  const batch = new MetricBatch();
  const gauge = { ...emptySeriesContext('queue.depth'), unit: '{items}' };
  const stale = { ...emptySeriesContext('stale.gauge') };
  const delta = { ...emptySeriesContext('delta.requests') };
  for (let i = 0; i < 10; i++) {
    batch.pushScalar(gauge, scalar(MetricKind.Gauge, Temporality.Unspecified, i * MIN, i));
    batch.pushScalar(stale, scalar(MetricKind.Gauge, Temporality.Unspecified, i * MIN, i, i === 5 ? 1 : 0));
    batch.pushScalar(delta, scalar(MetricKind.Sum, Temporality.Delta, i * MIN, 1));
  }
  const hist = { ...emptySeriesContext('rpc.duration'), unit: 'ms' };
  const h = emptyHistogramPoint(Temporality.Cumulative);
  h.timeMicros = 5 * MIN * 1000;
  h.bucketCounts = [1, 2, 3];
  h.explicitBounds = [0.5, 10];
  h.count = 6;
  h.sum = 20;
  batch.pushHistogram(hist, h);
  const summary = { ...emptySeriesContext('gc.pause'), unit: 's' };
  const s = emptySummaryPoint();
  s.timeMicros = 5 * MIN * 1000;
  s.count = 4;
  s.sum = 2;
  s.quantiles = [0.5, 0.99];
  s.quantileValues = [0.25, 1.5];
  batch.pushSummary(summary, s);
  await db.writeMetricBatch(batch);
  await db.insertMetrics([
    new MetricRecord('dup', 1, 5n * BigInt(MIN) * 1_000_000n).addLabel('a', 'x').addLabel('b', '1'),
    new MetricRecord('dup', 2, 5n * BigInt(MIN) * 1_000_000n).addLabel('a', 'x').addLabel('b', '2'),
    new MetricRecord('one', 3, 5n * BigInt(MIN) * 1_000_000n).addLabel('a', 'x'),
  ]);
});

afterAll(() => db.close());

describe('evaluatePromql on OTLP data', () => {
  it('names series after the OTLP mapping and sanitizes attribute labels', async () => {
    const r = await evaluatePromql(db, 'queue_depth', { time: 9 * MIN });
    expect(vectorOf(r)).toEqual([{ metric: { __name__: 'queue_depth', http_method: 'GET' }, value: 9 }]);
  });

  it('treats the "no recorded value" flag as a staleness marker', async () => {
    const at = (t: number) => evaluatePromql(db, 'stale_gauge', { time: t });
    expect(vectorOf(await at(5 * MIN + 30_000))).toEqual([]);
    expect(vectorOf(await at(4 * MIN + 30_000)).map((s) => s.value)).toEqual([4]);
    expect(vectorOf(await at(6 * MIN)).map((s) => s.value)).toEqual([6]);
    const counted = await evaluatePromql(db, 'count_over_time(stale_gauge[10m])', { time: 9 * MIN });
    expect(vectorOf(counted).map((s) => s.value)).toEqual([9]);
  });

  it('does not expose delta temporality sums', async () => {
    expect(vectorOf(await evaluatePromql(db, '{__name__=~"delta.*"}', { time: 9 * MIN }))).toEqual([]);
  });

  it('exposes histograms as cumulative _bucket{le}, _sum and _count', async () => {
    const r = await evaluatePromql(db, '{__name__=~"rpc_duration_milliseconds_.*"}', { time: 6 * MIN });
    expect(vectorOf(r).map((s) => [s.metric.__name__, s.metric.le, s.value])).toEqual([
      ['rpc_duration_milliseconds_bucket', '+Inf', 6],
      ['rpc_duration_milliseconds_bucket', '0.5', 1],
      ['rpc_duration_milliseconds_bucket', '10', 3],
      ['rpc_duration_milliseconds_count', undefined, 6],
      ['rpc_duration_milliseconds_sum', undefined, 20],
    ]);
    const q = await evaluatePromql(db, 'histogram_quantile(0.5, rpc_duration_milliseconds_bucket)', {
      time: 6 * MIN,
    });
    expect(vectorOf(q)).toEqual([{ metric: {}, value: 10 }]);
  });

  it('exposes summaries as {quantile}, _sum and _count', async () => {
    const r = await evaluatePromql(db, '{__name__=~"gc_pause_seconds.*"}', { time: 6 * MIN });
    expect(vectorOf(r).map((s) => [s.metric.__name__, s.metric.quantile, s.value])).toEqual([
      ['gc_pause_seconds', '0.5', 0.25],
      ['gc_pause_seconds', '0.99', 1.5],
      ['gc_pause_seconds_count', undefined, 4],
      ['gc_pause_seconds_sum', undefined, 2],
    ]);
  });

  it('fails like Prometheus on ambiguous matches instead of answering', async () => {
    await expect(evaluatePromql(db, 'one + ignoring(b) dup', { time: 6 * MIN })).rejects.toThrow(
      PromqlExecutionError,
    );
    await expect(evaluatePromql(db, 'dup / ignoring(b) one', { time: 6 * MIN })).rejects.toThrow(
      /many-to-one/,
    );
    const grouped = await evaluatePromql(db, 'dup / ignoring(b) group_left one', { time: 6 * MIN });
    expect(vectorOf(grouped).map((s) => s.value)).toEqual([1 / 3, 2 / 3]);
    await expect(
      evaluatePromql(db, 'rate(dup[5m]) or rate(one[5m]) or label_replace(dup, "b", "", "b", ".*")', {
        time: 6 * MIN,
      }),
    ).rejects.toThrow(/same labelset/);
  });

  it('compiles to one statement with bound label values', () => {
    const q = compilePromql('sum by (job) (rate(x{job="it\'s"}[5m]))', {
      start: 0,
      end: 600_000,
      step: 60_000,
    });
    expect(q.params).toContain("it's");
    expect(q.sql).not.toContain("it's");
    expect(q.range).toBe(true);
    expect(q.resultType).toBe('vector');
  });
});
