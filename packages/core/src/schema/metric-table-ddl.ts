import { SERIES_FIELDS } from '../writers/series-identity.ts';

/*
 * Column blocks of the metric tables. Version 1 stored every point with its series columns inline (the "wide"
 * tables, now views of the same names); version 4 keeps series once in `metric_series` and points in narrow
 * tables. The version 1 text must stay byte for byte what it was: applied migrations are checksummed.
 */

/** The identity of a series: stored inline by version 1, in `metric_series` since version 4. */
const IDENTITY_COLUMNS = `
  name VARCHAR NOT NULL,
  unit VARCHAR NOT NULL DEFAULT '',
  description VARCHAR NOT NULL DEFAULT '',
  symbol VARCHAR,
  service VARCHAR,
  attributes VARCHAR NOT NULL DEFAULT '{}',
  resource VARCHAR NOT NULL DEFAULT '{}',
  scope VARCHAR NOT NULL DEFAULT '{}'`;

const SERIES_COLUMNS = `
  ts TIMESTAMP NOT NULL,
  time_unix_nano BIGINT NOT NULL,
  start_time_unix_nano BIGINT,${IDENTITY_COLUMNS},
  exemplars VARCHAR,
  flags UINTEGER NOT NULL DEFAULT 0`;

const DISTRIBUTION_COLUMNS = `
  temporality UTINYINT NOT NULL,
  count UBIGINT NOT NULL,
  sum DOUBLE,
  min DOUBLE,
  max DOUBLE`;

const SCALAR_VALUES = `
  kind UTINYINT NOT NULL,
  temporality UTINYINT NOT NULL DEFAULT 0,
  is_monotonic BOOLEAN,
  value DOUBLE NOT NULL,
  value_int BIGINT
`;

const HISTOGRAM_VALUES = `${DISTRIBUTION_COLUMNS},
  bucket_counts UBIGINT[] NOT NULL,
  explicit_bounds DOUBLE[] NOT NULL
`;

const EXP_HISTOGRAM_VALUES = `${DISTRIBUTION_COLUMNS},
  scale INTEGER NOT NULL,
  zero_count UBIGINT NOT NULL,
  zero_threshold DOUBLE NOT NULL,
  positive_offset INTEGER NOT NULL,
  positive_bucket_counts UBIGINT[] NOT NULL,
  negative_offset INTEGER NOT NULL,
  negative_bucket_counts UBIGINT[] NOT NULL
`;

const SUMMARY_VALUES = `
  count UBIGINT NOT NULL,
  sum DOUBLE NOT NULL,
  quantiles DOUBLE[] NOT NULL,
  quantile_values DOUBLE[] NOT NULL
`;

/** One metric kind: its view (the version 1 table name), its points table and its value columns. */
export interface MetricKindTable {
  readonly view: MetricView;
  readonly points: string;
  readonly values: string;
}

/** The names of the four metric tables of version 1 (views since version 4). */
export type MetricView = 'trading_metrics' | 'otel_histograms' | 'otel_exp_histograms' | 'otel_summaries';

/** The four metric kinds, in the order version 1 created their tables. */
export const METRIC_KIND_TABLES: readonly MetricKindTable[] = [
  { view: 'trading_metrics', points: 'metric_points', values: SCALAR_VALUES },
  { view: 'otel_histograms', points: 'histogram_points', values: HISTOGRAM_VALUES },
  { view: 'otel_exp_histograms', points: 'exp_histogram_points', values: EXP_HISTOGRAM_VALUES },
  { view: 'otel_summaries', points: 'summary_points', values: SUMMARY_VALUES },
];

/** The narrow points table behind each metric view (since version 4). */
export const POINTS_TABLES = Object.freeze(
  Object.fromEntries(METRIC_KIND_TABLES.map((t) => [t.view, t.points])) as Record<MetricView, string>,
);

/** DDL of the four metric tables as version 1 created them (one row per point, series columns inline). */
export const WIDE_METRIC_TABLES = `
${METRIC_KIND_TABLES.map((t) => `CREATE TABLE ${t.view} (${SERIES_COLUMNS},${t.values});`).join('\n')}`;

/** Columns of `metric_series`: the identity of a series, stored once. */
export const SERIES_TABLE = `CREATE TABLE metric_series (
  series_id UBIGINT PRIMARY KEY,${IDENTITY_COLUMNS}
);`;

const POINT_COLUMNS = `
  series_id UBIGINT NOT NULL,
  ts TIMESTAMP NOT NULL,
  time_unix_nano BIGINT NOT NULL,
  start_time_unix_nano BIGINT,
  exemplars VARCHAR,
  flags UINTEGER NOT NULL DEFAULT 0`;

/** DDL of the narrow points table of one kind. */
export function pointsTableDdl(t: MetricKindTable): string {
  return `CREATE TABLE ${t.points} (${POINT_COLUMNS},${t.values});`;
}

/** Names of a kind's value columns (after the common point columns). */
export function valueColumnNames(t: MetricKindTable): string[] {
  return t.values
    .split(',')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.length > 0);
}

/** The columns every version 1 table starts with, in order: time, series identity, exemplars, flags. */
export const WIDE_LEADING_COLUMNS = [
  'ts',
  'time_unix_nano',
  'start_time_unix_nano',
  ...SERIES_FIELDS,
  'exemplars',
  'flags',
] as const;
