import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleTrade } from '../../test/support/sample-records.ts';
import { Database } from '../database/database.ts';
import { QueryError } from '../errors/errors.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { TradeRecord } from '../models/trade-record.ts';
import { compiled } from '../query/compiled-query.ts';
import { selectMetrics } from '../query/metric-select.ts';
import { TELEMETRY } from './telemetry-names.ts';

/** A reader the test collects from on demand. */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const reader = new OnDemandReader();
const spans = new InMemorySpanExporter();
const T = Date.UTC(2024, 0, 2);
let db: Database;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  db = await Database.open(':memory:');
});
afterAll(async () => {
  await db.close();
  metrics.disable();
  trace.disable();
  context.disable();
});

async function collect(): Promise<MetricData[]> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics
    .filter((s) => s.scope.name === TELEMETRY.scope)
    .flatMap((s) => s.metrics);
}

function points(all: MetricData[], name: string): DataPoint<unknown>[] {
  const metric = all.find((m) => m.descriptor.name === name);
  expect(metric, `metric ${name}`).toBeDefined();
  return metric?.dataPoints as DataPoint<unknown>[];
}

const spanNamed = (name: string): ReadableSpan[] => spans.getFinishedSpans().filter((s) => s.name === name);

describe('self-instrumentation through @opentelemetry/api', () => {
  it('traces Database.open with the migrations as its child', () => {
    const [open] = spanNamed(TELEMETRY.spans.open);
    const [migrate] = spanNamed(TELEMETRY.spans.migrate);
    expect(open?.attributes).toMatchObject({ 'db.system.name': 'duckdb', 'db.namespace': ':memory:' });
    expect(migrate?.parentSpanContext?.spanId).toBe(open?.spanContext().spanId);
    expect(migrate?.attributes['duckside.db.migrations.applied']).toBeGreaterThan(0);
  });

  it('counts rows per table and times each commit round', async () => {
    const before = await collect();
    const rowsBefore = sumByTable(before);
    await db.insertMetrics([
      new MetricRecord('telemetry_a', 1, T),
      new MetricRecord('telemetry_a', 2, T + 1),
    ]);
    await db.insertTrades([new TradeRecord(sampleTrade({ symbol: 'ETH/USD' }))]);
    const after = await collect();
    const rows = sumByTable(after);
    expect((rows.get('trading_trades') ?? 0) - (rowsBefore.get('trading_trades') ?? 0)).toBe(1);
    expect((rows.get('metric_points') ?? 0) - (rowsBefore.get('metric_points') ?? 0)).toBe(2);
    expect(rows.get('metric_series')).toBeGreaterThanOrEqual(1);
    const commits = points(after, TELEMETRY.metrics.operationDuration).filter(
      (p) => p.attributes['db.operation.name'] === 'COMMIT',
    );
    expect(histogramOf(commits).count).toBeGreaterThanOrEqual(2);
    const perCommit = histogramOf(points(after, TELEMETRY.metrics.commitRows));
    expect(perCommit.sum).toBeGreaterThanOrEqual(4);
    const commitSpans = spanNamed('COMMIT');
    expect(commitSpans.length).toBeGreaterThanOrEqual(2);
    expect(commitSpans.at(-1)?.attributes).toMatchObject({
      'db.system.name': 'duckdb',
      'db.operation.name': 'COMMIT',
      'duckside.db.commit.rows': 1,
      'duckside.db.commit.jobs': 1,
    });
  });

  it('times queries by summary and kind, without parameter values', async () => {
    await db.insertMetric(new MetricRecord('telemetry_q', 7, T));
    const { rows } = await db.execute(selectMetrics().name('telemetry_q').limit(5), {
      kind: 'metrics-endpoint',
    });
    expect(rows).toHaveLength(1);
    const span = spans
      .getFinishedSpans()
      .find((s) => s.attributes['duckside.query.kind'] === 'metrics-endpoint') as ReadableSpan;
    expect(span.name).toMatch(/^SELECT /);
    expect(span.name).toContain('metric_series');
    expect(span.attributes).toMatchObject({
      'db.system.name': 'duckdb',
      'db.operation.name': 'SELECT',
      'db.query.summary': span.name,
      'db.response.returned_rows': 1,
    });
    expect(JSON.stringify(span.attributes)).not.toContain('telemetry_q');
    const durations = points(await collect(), TELEMETRY.metrics.operationDuration).filter(
      (p) => p.attributes['duckside.query.kind'] === 'metrics-endpoint',
    );
    expect(histogramOf(durations).count).toBe(1);
    const returned = points(await collect(), TELEMETRY.metrics.returnedRows).filter(
      (p) => p.attributes['duckside.query.kind'] === 'metrics-endpoint',
    );
    expect(histogramOf(returned).sum).toBe(1);
  });

  it('records a failed query with its error type', async () => {
    await expect(
      db.query(compiled('SELECT * FROM no_such_table', []), { kind: 'broken' }),
    ).rejects.toBeInstanceOf(QueryError);
    const span = spans.getFinishedSpans().find((s) => s.attributes['duckside.query.kind'] === 'broken');
    expect(span?.status.code).toBe(2);
    expect(span?.attributes['error.type']).toBe(new QueryError('x').code);
  });

  it('observes the pool of every open database', async () => {
    const second = await Database.open({ path: ':memory:', pool: { max: 3, min: 1 } });
    try {
      const all = await collect();
      const max = points(all, TELEMETRY.metrics.connectionMax).map((p) => p.value);
      expect(max).toContain(3);
      const count = points(all, TELEMETRY.metrics.connectionCount);
      expect(new Set(count.map((p) => p.attributes['db.client.connection.state']))).toEqual(
        new Set(['idle', 'used']),
      );
      expect(points(all, TELEMETRY.metrics.pendingRequests).length).toBeGreaterThanOrEqual(2);
    } finally {
      await second.close();
    }
  });
});

function histogramOf(list: DataPoint<unknown>[]): Histogram {
  expect(list.length).toBeGreaterThan(0);
  return list[0]?.value as Histogram;
}

function sumByTable(all: MetricData[]): Map<string, number> {
  const metric = all.find((m) => m.descriptor.name === TELEMETRY.metrics.rowsWritten);
  const byTable = new Map<string, number>();
  for (const p of metric?.dataPoints ?? []) {
    const table = String(p.attributes['db.collection.name']);
    byTable.set(table, (byTable.get(table) ?? 0) + Number(p.value));
  }
  return byTable;
}
