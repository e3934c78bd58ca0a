import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  CommittingExporter,
  type ExporterDatabaseOptions,
  type ExportResult,
} from './committing-exporter.ts';
import { LogBatchMapper, type LogRecordLike } from './log-batch-mapper.ts';

/** Options of {@link DuckDBLogRecordExporter}: exactly one of `path` and `database`. */
export type DuckDBLogRecordExporterOptions = ExporterDatabaseOptions;

/**
 * An OpenTelemetry `LogRecordExporter` that stores log records in a Duckside DuckDB file (`system_events`),
 * in the same columns as the sidecar's OTLP logs receiver. Same guarantees as `DuckDBMetricExporter`: `export`
 * never throws and calls back once, SUCCESS only after the commit; `shutdown` drains and closes a database the
 * exporter opened.
 * @example
 * const exporter = new DuckDBLogRecordExporter({ path: './data/metrics.duckdb' });
 * const loggerProvider = new LoggerProvider({ processors: [new BatchLogRecordProcessor(exporter)] });
 */
export class DuckDBLogRecordExporter extends CommittingExporter implements LogRecordExporter {
  private readonly mapper = new LogBatchMapper();

  /**
   * Opens the database (when given a `path`) and resolves once it is ready.
   * @throws the open error, e.g. `DatabaseLockedError` when another process holds the file.
   * @example const exporter = await DuckDBLogRecordExporter.open({ path: './data/metrics.duckdb' });
   */
  static async open(options: DuckDBLogRecordExporterOptions): Promise<DuckDBLogRecordExporter> {
    const exporter = new DuckDBLogRecordExporter(options);
    await exporter.ready();
    return exporter;
  }

  /** Writes log records; calls back exactly once, after the commit or with the failure. Never throws. */
  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this.exportWith(async (db) => {
      const batch = this.mapper.batch(logs as readonly LogRecordLike[]);
      if (batch.size > 0) await db.writeLogBatch(batch);
    }, resultCallback);
  }
}
