import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiled, Database } from '@duckside/core';
import {
  type AggregationSelector,
  type AggregationTemporalitySelector,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { DuckDBMetricExporter, ExportResult } from '../../src/index.ts';

/** A reader the test collects from by hand (`collect()`), with the exporter's selectors. */
export class ManualReader extends MetricReader {
  constructor(
    options: { temporality?: AggregationTemporalitySelector; aggregation?: AggregationSelector } = {},
  ) {
    super({
      ...(options.temporality ? { aggregationTemporalitySelector: options.temporality } : {}),
      ...(options.aggregation ? { aggregationSelector: options.aggregation } : {}),
    });
  }

  /** Collects once and returns the resource metrics (fails the test on collection errors). */
  async collectMetrics(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await this.collect();
    if (errors.length > 0) throw new AggregateError(errors, 'collection failed');
    return resourceMetrics;
  }

  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A fresh folder for database files, removed by `cleanup()`. */
export function tempFolder(): { path(name: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'duckside-otel-'));
  return {
    path: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Calls `exporter.export` and resolves with the result, counting callbacks. */
export function exportOnce(exporter: DuckDBMetricExporter, metrics: ResourceMetrics): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(metrics, resolve));
}

/** Every row of a table, as typed rows, in a stable order. */
export function tableRows(
  db: Database,
  table: 'trading_metrics' | 'otel_histograms' | 'otel_exp_histograms',
  where = 'TRUE',
): Promise<Record<string, unknown>[]> {
  return db.all(
    compiled(`SELECT * FROM ${table} WHERE ${where} ORDER BY name, time_unix_nano, attributes`, []),
  );
}

/** `SELECT count(*)` of a table. */
export async function countRows(db: Database, table: string, where = 'TRUE'): Promise<number> {
  const [row] = await db.all(
    compiled<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table} WHERE ${where}`, []),
  );
  return row?.n ?? 0;
}

/** Collects `unhandledRejection` and `uncaughtException` events while a test runs. */
export function trackProcessErrors(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (error: unknown): void => {
    errors.push(error);
  };
  process.on('unhandledRejection', onError);
  process.on('uncaughtException', onError);
  return {
    errors,
    stop: () => {
      process.off('unhandledRejection', onError);
      process.off('uncaughtException', onError);
    },
  };
}

/** An exporter wrapper that records every export call and result, and checks each calls back exactly once. */
export class RecordingExporter {
  readonly results: ExportResult[] = [];
  readonly points: number[] = [];
  calls = 0;
  doubleCallbacks = 0;

  constructor(readonly inner: DuckDBMetricExporter) {}

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.calls++;
    this.points.push(
      metrics.scopeMetrics.reduce((n, s) => n + s.metrics.reduce((m, x) => m + x.dataPoints.length, 0), 0),
    );
    let called = false;
    this.inner.export(metrics, (result) => {
      if (called) this.doubleCallbacks++;
      called = true;
      this.results.push(result);
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  selectAggregationTemporality(type: Parameters<DuckDBMetricExporter['selectAggregationTemporality']>[0]) {
    return this.inner.selectAggregationTemporality(type);
  }

  selectAggregation(type: Parameters<DuckDBMetricExporter['selectAggregation']>[0]) {
    return this.inner.selectAggregation(type);
  }
}

/** Opens the database file at `path`, runs `fn` and closes it again. */
export async function withDatabase<T>(path: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open({ path });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** One collection of `series` series of a counter (`orders_total`) or a gauge (`depth`), from the real SDK. */
export async function collectSeries(
  series: number,
  instrument: 'counter' | 'gauge' = 'counter',
): Promise<ResourceMetrics> {
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('m');
  if (instrument === 'counter') {
    const counter = meter.createCounter('orders_total');
    for (let i = 0; i < series; i++) counter.add(i + 1, { shard: i });
  } else {
    const gauge = meter.createGauge('depth');
    for (let i = 0; i < series; i++) gauge.record(i, { level: i });
  }
  const metrics = await reader.collectMetrics();
  await provider.shutdown();
  return metrics;
}
