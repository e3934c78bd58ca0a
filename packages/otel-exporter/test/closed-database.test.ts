import { setTimeout as sleep } from 'node:timers/promises';
import { ClosedError, Database } from '@duckside/core';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBMetricExporter } from '../src/index.ts';
import {
  collectSeries,
  countRows,
  exportOnce,
  RecordingExporter,
  tempFolder,
  trackProcessErrors,
  withDatabase,
} from './support/harness.ts';

let folder: ReturnType<typeof tempFolder>;
let tracked: ReturnType<typeof trackProcessErrors>;
beforeEach(() => {
  folder = tempFolder();
  tracked = trackProcessErrors();
});
afterEach(() => {
  tracked.stop();
  folder.cleanup();
});

describe('the database closed underneath the exporter', () => {
  it('fails the export with the ClosedError, without throwing or an unhandled rejection', async () => {
    const db = await Database.open({ path: folder.path('closed.duckdb') });
    const exporter = new DuckDBMetricExporter({ database: db });
    expect(await exportOnce(exporter, await collectSeries(2, 'gauge'))).toEqual({ code: 0 });
    await db.close();
    for (const series of [1, 3_000]) {
      const result = await exportOnce(exporter, await collectSeries(series, 'gauge'));
      expect(result.code).toBe(1);
      expect(result.error).toBeInstanceOf(ClosedError);
    }
    await exporter.shutdown();
    await sleep(10);
    expect(tracked.errors).toEqual([]);
  });

  it('keeps a 10 Hz SDK loop alive: exports fail until shutdown, which still resolves', async () => {
    const handled: unknown[] = [];
    setGlobalErrorHandler((error) => handled.push(error));
    const db = await Database.open({ path: folder.path('loop.duckdb') });
    const exporter = new RecordingExporter(new DuckDBMetricExporter({ database: db }));
    const provider = new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 100 })],
    });
    const counter = provider.getMeter('m').createCounter('ticks');
    const ticker = setInterval(() => counter.add(1), 10);
    try {
      await sleep(600);
      const before = exporter.results.length;
      await db.close();
      await sleep(600);
      expect(before).toBeGreaterThanOrEqual(2);
      expect(exporter.results.slice(0, before).every((r) => r.code === 0)).toBe(true);
      const after = exporter.results.slice(before);
      // At most one export was in flight while closing; every later one failed with the close.
      expect(after.filter((r) => r.code === 1).length).toBeGreaterThanOrEqual(2);
      expect(after.slice(1).every((r) => r.code === 1 && r.error instanceof ClosedError)).toBe(true);
      expect(handled.length).toBeGreaterThanOrEqual(2);
    } finally {
      clearInterval(ticker);
      await provider.shutdown();
      setGlobalErrorHandler(() => undefined);
    }
    expect(exporter.doubleCallbacks).toBe(0);
    expect(exporter.results.length).toBe(exporter.calls);
    expect(tracked.errors).toEqual([]);
  });

  it('closing while a sliced export is in flight: the export either committed whole or failed with nothing stored', async () => {
    const path = folder.path('race.duckdb');
    const db = await Database.open({ path });
    const exporter = new DuckDBMetricExporter({ database: db, sliceRows: 100 });
    const metrics = await collectSeries(1_000, 'gauge');
    const result = exportOnce(exporter, metrics);
    await sleep(0);
    const closing = db.close();
    const outcome = await result;
    await expect(closing).resolves.toBeUndefined();
    await exporter.shutdown();
    const stored = await withDatabase(path, (reopened) => countRows(reopened, 'trading_metrics'));
    expect(stored).toBe(outcome.code === 0 ? 1_000 : 0);
    expect(tracked.errors).toEqual([]);
  });
});
