/**
 * `@duckside/core/ingest`: the column batches writers build — `MetricBatch`, the OTLP point types and their empty
 * values, column specs, series identity, attribute/resource/scope/exemplar encoders and nanosecond splitting — for
 * the sidecar's OTLP decoders, the OpenTelemetry exporter and the migrator's importers.
 * @example
 * import { MetricBatch, emptyScalarPoint, emptySeriesContext } from '@duckside/core/ingest';
 * const batch = new MetricBatch();
 */
export { encodeAnyValue, encodeAttributes } from '../attributes/attributes.ts';
export { encodeExemplars, encodeResource, encodeScope } from '../attributes/otlp-context.ts';
export { markWrittenSince, type RowMarks, rowMarks } from '../rollups/mark-written.ts';
export { joinNanos, type SplitNanos, splitNanos, splitNanoWords } from '../time/index.ts';
export { batchRows } from '../writers/batch-rows.ts';
export { type AppendOptions, appendTable } from '../writers/chunk-appender.ts';
export { type ColumnarTable, type ColumnSpec, concatTables } from '../writers/columnar-table.ts';
export {
  emptyExpHistogramPoint,
  emptyHistogramPoint,
  emptyPointBase,
  emptyScalarPoint,
  emptySeriesContext,
  emptySummaryPoint,
} from '../writers/empty-points.ts';
export { emptyLogRecord, LogBatch, type LogContext, type LogRecordFields } from '../writers/log-batch.ts';
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
} from '../writers/metric-batch.ts';
export { SERIES_ID_OF_COLUMNS, type SeriesIdentity } from '../writers/series-identity.ts';
