/**
 * `@duckside/core`: what a user of the library needs — the database, its models and their zod schemas, the query
 * builders and their row types, errors and time helpers. Lower-level parts other workspace packages build on are
 * in named subpaths: `@duckside/core/ingest` (column batches, OTLP point types, encoders), `@duckside/core/schema`
 * (migrations, runner, verifier) and `@duckside/core/catalog` (table descriptions).
 * @example
 * import { Database, MetricRecord, selectMetrics } from '@duckside/core';
 * await using db = await Database.open(':memory:');
 * await db.insertMetric(new MetricRecord('order_latency_ms', 42.5).withSymbol('BTC/USD'));
 * const { rows } = await db.execute(selectMetrics().name('order_latency_ms').limit(10));
 */

// Trading analytics: as-of joins, fill analysis, gap filling, time-weighted averages, bucket windows.
export * from './analytics/index.ts';
// Reading stored attribute, resource, scope and exemplar columns.
export {
  type Attributes,
  type AttributeValue,
  decodeAttributes,
  decodeAttributeValue,
} from './attributes/attributes.ts';
export {
  decodeExemplars,
  decodeResource,
  decodeScope,
  type Exemplar,
  type ResourceInfo,
  type ScopeInfo,
} from './attributes/otlp-context.ts';
// Database, its options and results.
export type { PoolOptions, PoolStats } from './connection/connection-pool.ts';
export {
  Database,
  type DatabaseOptions,
  type QueryOptions,
  type QueryResult,
  type RebuildReport,
  type RollupOptions,
} from './database/database.ts';
// Errors, and the base every package's errors share.
export { CodedError, withCode } from './errors/coded-error.ts';
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
} from './errors/errors.ts';
// Models, their inputs and zod schemas.
export { type CandleInput, CandleRecord, candleInputSchema } from './models/candle-record.ts';
export { severityOfLogRecord } from './models/log-severity.ts';
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
export { AGGREGATIONS, type Aggregation } from './query/aggregations.ts';
// Query builders and their row types.
export type { BucketedMetricBuilder } from './query/bucketed-metric-builder.ts';
export { type CandleQueryBuilder, candles } from './query/candle-query.ts';
export type { CandleRow, CandleSource } from './query/candle-state.ts';
export { type CompiledQuery, compiled, type SqlParam } from './query/compiled-query.ts';
export {
  DISTRIBUTION_TABLES,
  type DistributionStatsBuilder,
  type DistributionStatsRow,
  type DistributionTable,
  distributionStats,
} from './query/distribution-stats.ts';
export { type EventQueryBuilder, type EventRow, selectEvents } from './query/event-query.ts';
export { type ExpHistogramQuantileBuilder, expHistogramQuantiles } from './query/exp-histogram-quantile.ts';
export { type HistogramQuantileBuilder, histogramQuantiles } from './query/histogram-quantile.ts';
export type { HistogramQuantileRow } from './query/histogram-quantile-row.ts';
export { deleteOlderThan, tableStatistics } from './query/maintenance-queries.ts';
export { aggregateMetrics, type MetricAggregateBuilder } from './query/metric-aggregate.ts';
export type { MetricFilter } from './query/metric-filter.ts';
export type { MetricGrouping } from './query/metric-grouping.ts';
export { KIND_VIEWS, type MetricViewKind, metricKindsOf, VIEW_KINDS } from './query/metric-kinds.ts';
export { type MetricRow, type MetricSelectBuilder, selectMetrics } from './query/metric-select.ts';
export { type PerformanceQueryBuilder, performanceSummary } from './query/performance-query.ts';
export {
  type PointKind,
  type PointRow,
  type PointSelectBuilder,
  selectPoints,
} from './query/point-select.ts';
export {
  type RecentMarket,
  type RecentMetricName,
  recentMarkets,
  recentMetricNames,
  recentMetricSymbols,
} from './query/recent-names.ts';
export {
  type SummaryQuantileBuilder,
  type SummaryQuantileRow,
  summaryQuantiles,
} from './query/summary-quantile.ts';
export { type TableCount, tableCounts } from './query/table-counts.ts';
export { DATA_TABLES, type DataTable } from './query/tables.ts';
export { selectTrades, type TradeQueryBuilder, type TradeRow } from './query/trade-query.ts';
// Storage size and size-capped retention.
export type {
  SizeRetentionOptions,
  SizeRetentionOutcome,
  SizeRetentionReport,
} from './retention/size-retention.ts';
export type { StorageSize } from './retention/storage-size.ts';
export type { DownsampleOptions, DownsampleReport } from './rollups/downsample.ts';
// Rollups: levels, the plan builders compile with, maintenance figures.
export {
  coarsestLevel,
  DEFAULT_ROLLUP_LEVELS,
  type RollupLevel,
  rollupLevels,
} from './rollups/rollup-levels.ts';
export type { RollupStats } from './rollups/rollup-maintainer.ts';
export { type RollupPlan, type RollupRoute, routeRollup } from './rollups/rollup-plan.ts';
// Self-instrumentation through @opentelemetry/api (names of the instruments and spans; the per-database recorder).
export { type CommitFigures, CoreTelemetry } from './telemetry/core-telemetry.ts';
export { TELEMETRY } from './telemetry/telemetry-names.ts';
// The cold Parquet tier: day moves, the views spanning both tiers, the one Parquet layout.
export * from './tiering/index.ts';
// Time.
export {
  nanosToDate,
  nanosToIso,
  nowNanos,
  parseTimestamp,
  TimeInterval,
  type TimestampInput,
} from './time/index.ts';
export type { WriterOptions, WriterStats } from './writers/group-commit-writer.ts';
// The per-metric series limit (points of new series past it go to one overflow series per metric).
export {
  DEFAULT_MAX_SERIES_PER_METRIC,
  isOverflowSeries,
  OVERFLOW_ATTRIBUTES,
  type SeriesLimitStats,
} from './writers/series-limit.ts';
