import { type Column, column, columnNames, type Table, table } from './column.ts';

/*
 * The metric tables: each series once in `metric_series` under a 64-bit id, points in one narrow table per kind,
 * and one view per kind (the version 1 table names) joining the two.
 */

/** The identity of a series (after `series_id`), in `metric_series` order. */
const IDENTITY_COLUMNS = [
  column('name', 'VARCHAR'),
  column('unit', 'VARCHAR', { default: "''" }),
  column('description', 'VARCHAR', { default: "''" }),
  column('symbol', 'VARCHAR', { nullable: true }),
  column('service', 'VARCHAR', { nullable: true }),
  column('attributes', 'VARCHAR', { default: "'{}'", json: true }),
  column('resource', 'VARCHAR', { default: "'{}'", json: true }),
  column('scope', 'VARCHAR', { default: "'{}'", json: true }),
] as const;

/** The columns of a series in `metric_series` (after `series_id`), in table order. */
export const SERIES_FIELDS = columnNames(IDENTITY_COLUMNS);
/** One of {@link SERIES_FIELDS}. */
export type SeriesField = (typeof SERIES_FIELDS)[number];

const SERIES_ID = column('series_id', 'UBIGINT', { kind: 'id' });

/** `metric_series`: one row per series, keyed by the id the writers derive from its fields. */
export const METRIC_SERIES: Table = table('metric_series', [SERIES_ID, ...IDENTITY_COLUMNS], ['series_id']);

/** When a point was taken (and its cumulative start). */
const TIME_COLUMNS = [
  column('ts', 'TIMESTAMP'),
  column('time_unix_nano', 'BIGINT', { kind: 'nanos' }),
  column('start_time_unix_nano', 'BIGINT', { nullable: true, kind: 'nanos' }),
];

const POINT_EXTRAS = [
  column('exemplars', 'VARCHAR', { nullable: true, json: true }),
  column('flags', 'UINTEGER', { default: '0' }),
];

const DISTRIBUTION_COLUMNS = [
  column('temporality', 'UTINYINT'),
  column('count', 'UBIGINT'),
  column('sum', 'DOUBLE', { nullable: true }),
  column('min', 'DOUBLE', { nullable: true }),
  column('max', 'DOUBLE', { nullable: true }),
];

/** One metric kind: its view (the version 1 table name) and its narrow points table. */
export interface MetricKindTable {
  readonly view: MetricView;
  /** The points table: `series_id`, time, exemplars, flags, then the kind's value columns. */
  readonly points: Table;
  /** The kind's value columns. */
  readonly values: readonly Column[];
  /** The view's columns: time, series identity, exemplars, flags, values, then `series_id`. */
  readonly viewColumns: readonly Column[];
}

/** The names of the four metric views (tables in version 1). */
export type MetricView = 'trading_metrics' | 'otel_histograms' | 'otel_exp_histograms' | 'otel_summaries';

function metricKind(view: MetricView, points: string, values: readonly Column[]): MetricKindTable {
  return Object.freeze({
    view,
    points: table(points, [SERIES_ID, ...TIME_COLUMNS, ...POINT_EXTRAS, ...values]),
    values: Object.freeze([...values]),
    viewColumns: Object.freeze([...TIME_COLUMNS, ...IDENTITY_COLUMNS, ...POINT_EXTRAS, ...values, SERIES_ID]),
  });
}

/** Gauges and sums (`metric_points`, read through `trading_metrics`). */
export const SCALAR_KIND = metricKind('trading_metrics', 'metric_points', [
  column('kind', 'UTINYINT'),
  column('temporality', 'UTINYINT', { default: '0' }),
  column('is_monotonic', 'BOOLEAN', { nullable: true }),
  column('value', 'DOUBLE'),
  column('value_int', 'BIGINT', { nullable: true }),
]);

/** Explicit-bucket histograms (`histogram_points`, read through `otel_histograms`). */
export const HISTOGRAM_KIND = metricKind('otel_histograms', 'histogram_points', [
  ...DISTRIBUTION_COLUMNS,
  column('bucket_counts', 'UBIGINT[]'),
  column('explicit_bounds', 'DOUBLE[]'),
]);

/** Exponential histograms (`exp_histogram_points`, read through `otel_exp_histograms`). */
export const EXP_HISTOGRAM_KIND = metricKind('otel_exp_histograms', 'exp_histogram_points', [
  ...DISTRIBUTION_COLUMNS,
  column('scale', 'INTEGER'),
  column('zero_count', 'UBIGINT'),
  column('zero_threshold', 'DOUBLE'),
  column('positive_offset', 'INTEGER'),
  column('positive_bucket_counts', 'UBIGINT[]'),
  column('negative_offset', 'INTEGER'),
  column('negative_bucket_counts', 'UBIGINT[]'),
]);

/** Summaries (`summary_points`, read through `otel_summaries`). */
export const SUMMARY_KIND = metricKind('otel_summaries', 'summary_points', [
  column('count', 'UBIGINT'),
  column('sum', 'DOUBLE'),
  column('quantiles', 'DOUBLE[]'),
  column('quantile_values', 'DOUBLE[]'),
]);

/** The four metric kinds, in the order version 1 created their tables. */
export const METRIC_KIND_TABLES: readonly MetricKindTable[] = Object.freeze([
  SCALAR_KIND,
  HISTOGRAM_KIND,
  EXP_HISTOGRAM_KIND,
  SUMMARY_KIND,
]);

/** The narrow points table behind each metric view. */
export const POINTS_TABLES = Object.freeze(
  Object.fromEntries(METRIC_KIND_TABLES.map((t) => [t.view, t.points.name])) as Record<MetricView, string>,
);
