/**
 * `@duckside/otel-exporter`: an OpenTelemetry `PushMetricExporter` and `LogRecordExporter` that store metrics and
 * log records in a Duckside database, the one-call `registerDuckside` setup, and the mappings of SDK data to core
 * column batches.
 * @example
 * import { registerDuckside } from '@duckside/otel-exporter';
 * const { meterProvider, shutdown } = await registerDuckside({ path: './data/metrics.duckdb' });
 */
export type { ExporterDatabaseOptions, ExportResult } from './committing-exporter.ts';
export { DuckDBLogRecordExporter, type DuckDBLogRecordExporterOptions } from './duckdb-log-exporter.ts';
export { DuckDBMetricExporter, type DuckDBMetricExporterOptions } from './duckdb-metric-exporter.ts';
export {
  ExporterError,
  type ExporterErrorCode,
  ExporterShutdownError,
  MappingError,
  OptionsError,
} from './errors.ts';
export { LogBatchMapper, type LogRecordLike } from './log-batch-mapper.ts';
export { MetricBatchMapper, toMetricBatch } from './metric-batch-mapper.ts';
export {
  type DucksideRegistration,
  type RegisterDucksideOptions,
  registerDuckside,
} from './register-duckside.ts';
export type { TemporalityPreference } from './temporality-preference.ts';
