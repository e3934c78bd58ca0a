import { compiled, Database } from '@duckside/core';
import { configSchema, createLogger, type RunningServer, startServer } from '@duckside/sidecar';
import { emitEveryLogKind } from '@duckside/testkit/otlp';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DuckDBLogRecordExporter,
  ExporterShutdownError,
  type ExportResult,
  registerDuckside,
} from '../src/index.ts';
import { countRows, tempFolder } from './support/harness.ts';

/** Every stored event, every column but the generated id, in a stable order. */
function storedEvents(db: Database): Promise<Record<string, unknown>[]> {
  return db.all(
    compiled(
      'SELECT * EXCLUDE (id) FROM system_events ORDER BY time_unix_nano, observed_time_unix_nano, message',
      [],
    ),
  );
}

/** Exports every batch to all `targets` and succeeds only when they all did. */
class TeeLogExporter implements LogRecordExporter {
  readonly results: ExportResult[][] = [];
  constructor(private readonly targets: LogRecordExporter[]) {}
  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    const each = this.targets.map(
      (t) => new Promise<ExportResult>((resolve) => t.export(records, resolve as (r: ExportResult) => void)),
    );
    void Promise.all(each).then((results) => {
      this.results.push(results);
      done(results.find((r) => r.code !== 0) ?? results[0]!);
    });
  }
  async shutdown(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.shutdown()));
  }
  async forceFlush(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.forceFlush()));
  }
}

function exportOnce(exporter: LogRecordExporter, records: ReadableLogRecord[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(records, resolve as (r: ExportResult) => void));
}

/** Real SDK log records (every body kind, severity, span context...), captured without exporting them anywhere. */
async function sdkRecords(): Promise<ReadableLogRecord[]> {
  const captured: ReadableLogRecord[] = [];
  await emitEveryLogKind({
    export: (records, done) => {
      captured.push(...records);
      done({ code: 0 });
    },
    shutdown: async () => undefined,
    forceFlush: async () => undefined,
  });
  return captured;
}

describe('DuckDBLogRecordExporter', () => {
  const folder = tempFolder();
  let sidecar: RunningServer;
  let db: Database;

  beforeAll(async () => {
    sidecar = await startServer({
      config: configSchema.parse({ port: 0, grpcPort: 0, database: folder.path('sidecar.duckdb') }),
      logger: createLogger({ level: 'error', write: () => undefined }),
    });
    db = await Database.open({ path: folder.path('exporter.duckdb') });
  });
  afterEach(async () => {
    await db.withConnection((c) => c.run('DELETE FROM system_events'));
  });
  afterAll(async () => {
    await db?.close();
    await sidecar?.shutdown();
    folder.cleanup();
  });

  it('stores every log record exactly as the OTLP logs receiver stores the same records, column by column', async () => {
    const exporter = new DuckDBLogRecordExporter({ database: db });
    const tee = new TeeLogExporter([exporter, new OTLPLogExporter({ url: `${sidecar.url}/v1/logs` })]);
    await emitEveryLogKind(tee);
    expect(tee.results.flat().map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const direct = await storedEvents(db);
    expect(direct.length).toBe(11);
    expect(direct).toEqual(await storedEvents(sidecar.db));
    // The direct rows carry the fields the SDK gave (a spot check that the comparison is not of two empty sets).
    expect(direct.some((r) => r.event_name === 'order.rejected')).toBe(true);
    expect(direct.filter((r) => r.trace_id === '0af7651916cd43dd8448eb211c80319c').length).toBe(5);
    expect(direct.filter((r) => r.body === null).length).toBe(1);
  });

  it('calls back SUCCESS only after the records are committed, and FAILED after shutdown', async () => {
    const records = await sdkRecords();
    const exporter = new DuckDBLogRecordExporter({ database: db });
    const result = await exportOnce(exporter, records);
    expect(result.code).toBe(0);
    expect(await countRows(db, 'system_events')).toBe(records.length);
    await exporter.shutdown();
    const late = await exportOnce(exporter, records);
    expect(late.code).toBe(1);
    expect(late.error).toBeInstanceOf(ExporterShutdownError);
    expect(await countRows(db, 'system_events')).toBe(records.length);
    // A database passed in stays open.
    expect(await countRows(db, 'system_events', 'severity_number >= 0')).toBe(records.length);
  });

  it('reports a write on a closed database as FAILED without throwing', async () => {
    const records = await sdkRecords();
    const path = folder.path('closed.duckdb');
    const exporter = await DuckDBLogRecordExporter.open({ path });
    const own = await Database.open({ path });
    await own.close();
    await exporter.shutdown();
    const result = await exportOnce(exporter, records);
    expect(result.code).toBe(1);
  });
});

describe('registerDuckside({ logs: true })', () => {
  const folder = tempFolder();
  afterEach(() => {
    logs.disable();
  });
  afterAll(() => folder.cleanup());

  it('registers a global LoggerProvider writing into the same file; shutdown flushes and unregisters', async () => {
    const path = folder.path('app.duckdb');
    const registration = await registerDuckside({
      path,
      logs: true,
      logsDelayMs: 60_000,
      intervalMs: 60_000,
      resource: { 'service.name': 'oms' },
    });
    expect(logs.getLoggerProvider()).toBe(registration.loggerProvider);
    logs.getLogger('orders').emit({
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: 'order rejected',
      attributes: { symbol: 'BTC/USD', qty: 3 },
    });
    registration.meterProvider.getMeter('orders').createCounter('orders_total').add(2);
    await registration.shutdown();
    expect(logs.getLoggerProvider()).not.toBe(registration.loggerProvider);
    const db = await Database.open({ path });
    try {
      const [event, ...rest] = await db.all(
        compiled<Record<string, unknown>>('SELECT * FROM system_events', []),
      );
      expect(rest).toEqual([]);
      expect(event).toMatchObject({
        severity: 'warning',
        source: 'oms',
        message: 'order rejected',
        severity_number: SeverityNumber.WARN,
        attributes: '{"symbol":"BTC/USD","qty":3}',
      });
      expect(await countRows(db, 'trading_metrics', "name = 'orders_total'")).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('without logs sets up no LoggerProvider', async () => {
    const registration = await registerDuckside({
      path: folder.path('metrics-only.duckdb'),
      intervalMs: 60_000,
    });
    expect(registration.loggerProvider).toBeUndefined();
    await registration.shutdown();
  });
});
