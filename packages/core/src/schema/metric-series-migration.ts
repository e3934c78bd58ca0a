import {
  FROZEN_METRIC_KINDS,
  FROZEN_SERIES_FIELDS,
  type FrozenMetricKind,
  pointsTableDdl,
  SERIES_TABLE,
  WIDE_LEADING_COLUMNS,
  WIDE_METRIC_TABLES,
} from './metric-tables-v1.ts';
import type { Migration } from './migration.ts';

/**
 * The series id of version 4's rows, as SQL over the series columns (frozen: the writers' `SERIES_ID_OF_COLUMNS`
 * computes the same, which a test checks).
 */
export const V4_SERIES_ID = `md5_number_lower(concat_ws(chr(31) || chr(29), coalesce(replace(name, chr(31), chr(31) || chr(30)), chr(31) || chr(28)), coalesce(replace(unit, chr(31), chr(31) || chr(30)), chr(31) || chr(28)), coalesce(replace(description, chr(31), chr(31) || chr(30)), chr(31) || chr(28)), coalesce(replace(service, chr(31), chr(31) || chr(30)), chr(31) || chr(28)), coalesce(replace(resource, chr(31), chr(31) || chr(30)), chr(31) || chr(28)), coalesce(replace(scope, chr(31), chr(31) || chr(30)), chr(31) || chr(28)), coalesce(replace(symbol, chr(31), chr(31) || chr(30)), chr(31) || chr(28)), coalesce(replace(attributes, chr(31), chr(31) || chr(30)), chr(31) || chr(28))))`;

const isSeriesField = (column: string) => FROZEN_SERIES_FIELDS.includes(column);

/** The version 1 leading columns that stay with each point. */
const POINT_FIELDS = WIDE_LEADING_COLUMNS.filter((c) => !isSeriesField(c));

/** The version 1 columns of a kind, read from its points joined with their series (plus `series_id`). */
function joinedSelect(t: FrozenMetricKind, withSeriesId: boolean): string {
  const columns = [...WIDE_LEADING_COLUMNS, ...t.valueNames].map((c) =>
    isSeriesField(c) ? `s.${c}` : `p.${c}`,
  );
  if (withSeriesId) columns.push('p.series_id');
  return `SELECT ${columns.join(', ')} FROM ${t.points} p JOIN metric_series s ON s.series_id = p.series_id`;
}

const up = [
  SERIES_TABLE,
  ...FROZEN_METRIC_KINDS.map(pointsTableDdl),
  `INSERT INTO metric_series SELECT DISTINCT ON (series_id) * FROM (${FROZEN_METRIC_KINDS.map(
    (t) => `SELECT ${V4_SERIES_ID} AS series_id, ${FROZEN_SERIES_FIELDS.join(', ')} FROM ${t.view}`,
  ).join(' UNION ALL ')});`,
  ...FROZEN_METRIC_KINDS.map(
    (t) =>
      `INSERT INTO ${t.points} SELECT ${V4_SERIES_ID}, ${[...POINT_FIELDS, ...t.valueNames].join(', ')} FROM ${t.view};`,
  ),
  ...FROZEN_METRIC_KINDS.map((t) => `DROP TABLE ${t.view};`),
  ...FROZEN_METRIC_KINDS.map((t) => `CREATE VIEW ${t.view} AS ${joinedSelect(t, true)};`),
];

const down = [
  ...FROZEN_METRIC_KINDS.map((t) => `DROP VIEW ${t.view};`),
  WIDE_METRIC_TABLES,
  ...FROZEN_METRIC_KINDS.map((t) => `INSERT INTO ${t.view} ${joinedSelect(t, false)};`),
  ...FROZEN_METRIC_KINDS.map((t) => `DROP TABLE ${t.points};`),
  'DROP TABLE metric_series;',
];

/**
 * Version 4: each series (name, unit, description, symbol, service, attributes, resource, scope) is stored once
 * in `metric_series` under a 64-bit id derived from those fields; points go to narrow tables (`metric_points`,
 * `histogram_points`, `exp_histogram_points`, `summary_points`) holding the id, and the version 1 table names
 * become views joining the two, with the same columns plus `series_id`. Existing rows are moved.
 */
export const METRIC_SERIES_MIGRATION: Migration = {
  version: 4,
  name: 'normalize_metric_series',
  up: up.join('\n'),
  down: down.join('\n'),
};
