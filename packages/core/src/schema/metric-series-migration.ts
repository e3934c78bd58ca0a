import { SERIES_FIELDS, SERIES_ID_OF_COLUMNS } from '../writers/series-identity.ts';
import type { Migration } from './builtin-migrations.ts';
import {
  METRIC_KIND_TABLES,
  type MetricKindTable,
  pointsTableDdl,
  SERIES_TABLE,
  valueColumnNames,
  WIDE_LEADING_COLUMNS,
  WIDE_METRIC_TABLES,
} from './metric-table-ddl.ts';

const isSeriesField = (column: string) => (SERIES_FIELDS as readonly string[]).includes(column);

/** The version 1 leading columns that stay with each point. */
const POINT_FIELDS = WIDE_LEADING_COLUMNS.filter((c) => !isSeriesField(c));

/** The version 1 columns of a kind, read from its points joined with their series (plus `series_id`). */
function joinedSelect(t: MetricKindTable, withSeriesId: boolean): string {
  const columns = [...WIDE_LEADING_COLUMNS, ...valueColumnNames(t)].map((c) =>
    isSeriesField(c) ? `s.${c}` : `p.${c}`,
  );
  if (withSeriesId) columns.push('p.series_id');
  return `SELECT ${columns.join(', ')} FROM ${t.points} p JOIN metric_series s ON s.series_id = p.series_id`;
}

const up = [
  SERIES_TABLE,
  ...METRIC_KIND_TABLES.map(pointsTableDdl),
  `INSERT INTO metric_series SELECT DISTINCT ON (series_id) * FROM (${METRIC_KIND_TABLES.map(
    (t) => `SELECT ${SERIES_ID_OF_COLUMNS} AS series_id, ${SERIES_FIELDS.join(', ')} FROM ${t.view}`,
  ).join(' UNION ALL ')});`,
  ...METRIC_KIND_TABLES.map(
    (t) =>
      `INSERT INTO ${t.points} SELECT ${SERIES_ID_OF_COLUMNS}, ${[...POINT_FIELDS, ...valueColumnNames(t)].join(', ')} FROM ${t.view};`,
  ),
  ...METRIC_KIND_TABLES.map((t) => `DROP TABLE ${t.view};`),
  ...METRIC_KIND_TABLES.map((t) => `CREATE VIEW ${t.view} AS ${joinedSelect(t, true)};`),
];

const down = [
  ...METRIC_KIND_TABLES.map((t) => `DROP VIEW ${t.view};`),
  WIDE_METRIC_TABLES,
  ...METRIC_KIND_TABLES.map((t) => `INSERT INTO ${t.view} ${joinedSelect(t, false)};`),
  ...METRIC_KIND_TABLES.map((t) => `DROP TABLE ${t.points};`),
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
