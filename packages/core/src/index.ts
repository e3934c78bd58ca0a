export { type Attributes, type AttributeValue, decodeAttributes, encodeAttributes } from './attributes.ts';
export { IMPORT_WATERMARKS, MIGRATIONS_TABLE } from './catalog/bookkeeping-tables.ts';
export {
  type Column,
  type ColumnKind,
  columnList,
  type SqlType,
  type Table,
  writtenColumns,
} from './catalog/column.ts';
export {
  METRIC_SERIES,
  SCALAR_KIND,
  SERIES_FIELDS,
  type SeriesField,
} from './catalog/metric-tables.ts';
export { SYSTEM_EVENTS, TRADING_CANDLES, TRADING_TRADES } from './catalog/trading-tables.ts';
export { ConnectionPool, type PoolOptions, type PoolStats } from './connection-pool.ts';
export { Database, type DatabaseOptions, type QueryOptions, type QueryResult } from './database/database.ts';
export {
  ClosedError,
  ConnectionError,
  DatabaseError,
  type DatabaseErrorCode,
  DatabaseLockedError,
  MigrationError,
  OverloadedError,
  PoolError,
  QueryError,
  QueryTimeoutError,
  SchemaError,
  ValidationError,
  WriteError,
} from './errors.ts';
export { type CandleInput, CandleRecord, candleInputSchema } from './models/candle-record.ts';
export {
  type LabelValue,
  type MetricInput,
  MetricRecord,
  metricInputSchema,
} from './models/metric-record.ts';
export type { AggregatedMetric, PerformanceSummary, TableStats } from './models/result-types.ts';
export {
  type EventInput,
  eventInputSchema,
  SEVERITIES,
  type Severity,
  SystemEvent,
  severityLevel,
} from './models/system-event.ts';
export { type TradeInput, TradeRecord, tradeInputSchema } from './models/trade-record.ts';
export { parseWith, timestampSchema } from './models/validation.ts';
export {
  decodeExemplars,
  decodeResource,
  decodeScope,
  type Exemplar,
  encodeExemplars,
  encodeResource,
  encodeScope,
  type ResourceInfo,
  type ScopeInfo,
} from './otlp-context.ts';
export { type CompiledQuery, compiled, quoteIdent, type SqlParam } from './query/compiled-query.ts';
export * from './query/index.ts';
export type {
  SizeRetentionOptions,
  SizeRetentionOutcome,
  SizeRetentionReport,
} from './retention/size-retention.ts';
export type { StorageSize } from './retention/storage-size.ts';
export { BUILTIN_MIGRATIONS, BUILTIN_VERSIONS, USER_VERSIONS } from './schema/builtin-migrations.ts';
export type { Migration, VersionRange } from './schema/migration.ts';
export {
  type AppliedMigration,
  checksumOf,
  type MigrateOptions,
  MigrationRunner,
  type MigrationStatus,
  type MigrationStep,
  type RunnerOptions,
} from './schema/migration-runner.ts';
export { type SchemaDifference, type SchemaReport, verifySchema } from './schema/schema-verifier.ts';
export {
  joinNanos,
  nanosToDate,
  nanosToIso,
  nowNanos,
  parseTimestamp,
  type SplitNanos,
  splitNanos,
  splitNanoWords,
  sqlTimestamp,
  TimeInterval,
  type TimestampInput,
} from './time/index.ts';
export { batchRows } from './writers/batch-rows.ts';
export { type AppendOptions, appendTable } from './writers/chunk-appender.ts';
export { type ColumnarTable, type ColumnSpec, concatTables } from './writers/columnar-table.ts';
export {
  emptyExpHistogramPoint,
  emptyHistogramPoint,
  emptyPointBase,
  emptyScalarPoint,
  emptySeriesContext,
  emptySummaryPoint,
} from './writers/empty-points.ts';
export { GroupCommitWriter, type WriterOptions, type WriterStats } from './writers/group-commit-writer.ts';
export {
  EXP_HISTOGRAM_COLUMNS,
  type ExpHistogramPoint,
  HISTOGRAM_COLUMNS,
  type HistogramPoint,
  METRIC_COLUMNS,
  MetricBatch,
  MetricKind,
  type MetricKindCode,
  type PointBase,
  type ScalarPoint,
  type SeriesContext,
  SUMMARY_COLUMNS,
  type SummaryPoint,
  Temporality,
  type TemporalityCode,
} from './writers/metric-batch.ts';
export { SERIES_ID_OF_COLUMNS, type SeriesIdentity } from './writers/series-identity.ts';
export {
  DEFAULT_MAX_SERIES_PER_METRIC,
  isOverflowSeries,
  OVERFLOW_ATTRIBUTES,
  type SeriesLimitStats,
} from './writers/series-limit.ts';
