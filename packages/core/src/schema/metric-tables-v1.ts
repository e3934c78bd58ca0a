/*
 * Frozen text of migrations 1 and 4 (the metric tables). Version 1 stored every point with its series columns
 * inline (the "wide" tables, now views of the same names); version 4 keeps series once in `metric_series` and
 * points in narrow tables. This text must stay byte for byte what it was: applied migrations are checksummed.
 * The current columns are described by the catalog (`catalog/metric-tables.ts`); a test checks the two agree.
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

/** One metric kind as migrations 1 and 4 wrote it (frozen). */
export interface FrozenMetricKind {
  /** The version 1 table (a view since version 4). */
  readonly view: string;
  /** The version 4 points table. */
  readonly points: string;
  /** DDL of the value columns. */
  readonly values: string;
  /** Names of the value columns. */
  readonly valueNames: readonly string[];
}

/** The four metric kinds, in the order version 1 created their tables. */
export const FROZEN_METRIC_KINDS: readonly FrozenMetricKind[] = [
  {
    view: 'trading_metrics',
    points: 'metric_points',
    values: SCALAR_VALUES,
    valueNames: ['kind', 'temporality', 'is_monotonic', 'value', 'value_int'],
  },
  {
    view: 'otel_histograms',
    points: 'histogram_points',
    values: HISTOGRAM_VALUES,
    valueNames: ['temporality', 'count', 'sum', 'min', 'max', 'bucket_counts', 'explicit_bounds'],
  },
  {
    view: 'otel_exp_histograms',
    points: 'exp_histogram_points',
    values: EXP_HISTOGRAM_VALUES,
    valueNames: [
      'temporality',
      'count',
      'sum',
      'min',
      'max',
      'scale',
      'zero_count',
      'zero_threshold',
      'positive_offset',
      'positive_bucket_counts',
      'negative_offset',
      'negative_bucket_counts',
    ],
  },
  {
    view: 'otel_summaries',
    points: 'summary_points',
    values: SUMMARY_VALUES,
    valueNames: ['count', 'sum', 'quantiles', 'quantile_values'],
  },
];

/** DDL of the four metric tables as version 1 created them (one row per point, series columns inline). */
export const WIDE_METRIC_TABLES = `
${FROZEN_METRIC_KINDS.map((t) => `CREATE TABLE ${t.view} (${SERIES_COLUMNS},${t.values});`).join('\n')}`;

/** DDL of `metric_series` as version 4 created it. */
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

/**
 * DDL of the narrow points table of one kind as version 4 created it.
 * @example pointsTableDdl(FROZEN_METRIC_KINDS[0]) // 'CREATE TABLE metric_points (...'
 */
export function pointsTableDdl(t: FrozenMetricKind): string {
  return `CREATE TABLE ${t.points} (${POINT_COLUMNS},${t.values});`;
}

/** The series fields of version 4, in `metric_series` order. */
export const FROZEN_SERIES_FIELDS: readonly string[] = [
  'name',
  'unit',
  'description',
  'symbol',
  'service',
  'attributes',
  'resource',
  'scope',
];

/** The columns of a version 1 table before its value columns, as names: time, series identity, exemplars, flags. */
export const WIDE_LEADING_COLUMNS: readonly string[] = [
  'ts',
  'time_unix_nano',
  'start_time_unix_nano',
  ...FROZEN_SERIES_FIELDS,
  'exemplars',
  'flags',
];
