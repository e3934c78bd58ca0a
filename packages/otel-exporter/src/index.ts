/**
 * `@duckside/otel-exporter`: an OpenTelemetry `PushMetricExporter` that stores metrics in a Duckside database, the
 * one-call `registerDuckside` setup, and the mapping of SDK `ResourceMetrics` to core column batches.
 * @example
 * import { registerDuckside } from '@duckside/otel-exporter';
 * const { meterProvider, shutdown } = await registerDuckside({ path: './data/metrics.duckdb' });
 */
export {
  DuckDBMetricExporter,
  type DuckDBMetricExporterOptions,
  type ExportResult,
} from './duckdb-metric-exporter.ts';
export {
  ExporterError,
  type ExporterErrorCode,
  ExporterShutdownError,
  MappingError,
  OptionsError,
} from './errors.ts';
export { MetricBatchMapper, toMetricBatch } from './metric-batch-mapper.ts';
export {
  type DucksideRegistration,
  type RegisterDucksideOptions,
  registerDuckside,
} from './register-duckside.ts';
export type { TemporalityPreference } from './temporality-preference.ts';
