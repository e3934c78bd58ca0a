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
export { type HrTime, hrTimeToNanos, hrTimeToSplit } from './hr-time.ts';
export { MetricBatchMapper, toMetricBatch } from './metric-batch-mapper.ts';
export {
  type DucksideRegistration,
  type RegisterDucksideOptions,
  registerDuckside,
} from './register-duckside.ts';
export {
  type ResourceLike,
  resourceColumn,
  type ScopeLike,
  scopeColumn,
  serviceOf,
} from './series-context.ts';
export { type TemporalityPreference, temporalitySelector } from './temporality-preference.ts';
export { toTypedAttributes, toTypedValue } from './typed-attributes.ts';
