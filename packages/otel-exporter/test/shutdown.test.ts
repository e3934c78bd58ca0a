import { setImmediate as nextTurn } from 'node:timers/promises';
import { Database } from '@duckside/core';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBMetricExporter, ExporterShutdownError, OptionsError } from '../src/index.ts';
import {
  collectSeries,
  countRows,
  exportOnce,
  tempFolder,
  trackProcessErrors,
  withDatabase,
} from './support/harness.ts';

let folder: ReturnType<typeof tempFolder>;
beforeEach(() => {
  folder = tempFolder();
});
afterEach(() => folder.cleanup());

function storedRows(path: string): Promise<number> {
  return withDatabase(path, (db) => countRows(db, 'trading_metrics'));
}

describe('shutdown', () => {
  it('during an export: the export commits and succeeds, then the database closes and later exports fail', async () => {
    const path = folder.path('owned.duckdb');
    const exporter = await DuckDBMetricExporter.open({ path, sliceRows: 50 });
    const metrics = await collectSeries(600);
    const events: string[] = [];
    const result = new Promise((resolve) =>
      exporter.export(metrics, (r) => {
        events.push(`export:${r.code}`);
        resolve(r);
      }),
    );
    // Let the sliced write get under way (several slices, one transaction) before shutting down.
    await nextTurn();
    await nextTurn();
    const shutdown = exporter.shutdown().then(() => events.push('shutdown'));
    expect(exporter.shutdown()).toBe(exporter.shutdown());
    let late: unknown;
    exporter.export(metrics, (r) => {
      late = r;
    });
    // Refused at once, synchronously.
    expect(late).toMatchObject({ code: 1, error: expect.any(ExporterShutdownError) });
    await shutdown;
    await result;
    expect(events).toEqual(['export:0', 'shutdown']);
    // The exporter opened the file, so shutdown closed it: it can be opened again and holds every point.
    expect(await storedRows(path)).toBe(600);
  });

  it('through the SDK: MeterProvider.shutdown() exports the last collection and closes the owned database', async () => {
    const path = folder.path('sdk.duckdb');
    const exporter = new DuckDBMetricExporter({ path });
    const provider = new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
    });
    provider.getMeter('m').createCounter('c').add(3);
    await provider.shutdown();
    expect(await storedRows(path)).toBe(1);
  });

  it('leaves a database it was given open', async () => {
    const db = await Database.open({ path: folder.path('mine.duckdb') });
    try {
      const exporter = new DuckDBMetricExporter({ database: db });
      expect(await exportOnce(exporter, await collectSeries(3))).toEqual({ code: 0 });
      await exporter.shutdown();
      expect(db.isOpen).toBe(true);
      expect(await countRows(db, 'trading_metrics')).toBe(3);
      expect(await exportOnce(exporter, await collectSeries(1))).toMatchObject({
        code: 1,
        error: expect.any(ExporterShutdownError),
      });
      expect(await countRows(db, 'trading_metrics')).toBe(3);
    } finally {
      await db.close();
    }
  });
});

describe('forceFlush', () => {
  it('resolves only after in-flight exports have committed and called back', async () => {
    const db = await Database.open({ path: folder.path('flush.duckdb') });
    try {
      const exporter = new DuckDBMetricExporter({ database: db, sliceRows: 100 });
      const results: number[] = [];
      exporter.export(await collectSeries(500), (r) => results.push(r.code));
      exporter.export(await collectSeries(7), (r) => results.push(r.code));
      await exporter.forceFlush();
      expect(results.toSorted()).toEqual([0, 0]);
      expect(await countRows(db, 'trading_metrics')).toBe(507);
    } finally {
      await db.close();
    }
  });
});

describe('options and failures to open', () => {
  it('requires exactly one of path and database, and a positive slice size', async () => {
    expect(() => new DuckDBMetricExporter({})).toThrow(OptionsError);
    const db = await Database.open({ path: ':memory:' });
    try {
      expect(() => new DuckDBMetricExporter({ database: db, path: folder.path('x.duckdb') })).toThrow(
        OptionsError,
      );
      expect(() => new DuckDBMetricExporter({ database: db, sliceRows: 0 })).toThrow(OptionsError);
    } finally {
      await db.close();
    }
  });

  it('reports a database that cannot be opened from ready() and as FAILED exports, never as a crash', async () => {
    const tracked = trackProcessErrors();
    const exporter = new DuckDBMetricExporter({ path: '/dev/null/cannot/metrics.duckdb' });
    await expect(exporter.ready()).rejects.toThrow();
    const result = await exportOnce(exporter, await collectSeries(2));
    expect(result.code).toBe(1);
    expect(result.error).toBeInstanceOf(Error);
    await exporter.shutdown();
    await expect(DuckDBMetricExporter.open({ path: '/dev/null/cannot/metrics.duckdb' })).rejects.toThrow();
    tracked.stop();
    expect(tracked.errors).toEqual([]);
  });
});
