import type { VectorSelectorNode } from '../language/ast.ts';
import { labelsMapSql, scalarMetricNameSql, seriesLabelsSql } from '../sql/series-labels-sql.ts';
import { sqlBigint } from '../sql/sql-text.ts';
import { formatFloatSql } from './float-sql.ts';
import { setLabel } from './label-sql.ts';
import { derivedNeeds, splitMatchersSql } from './matchers-sql.ts';
import type { SqlPlan } from './plan.ts';
import { ALL_POINT_TABLES, type PointTables } from './point-tables.ts';
import type { ScalarKey } from './scalar-key.ts';
import { scalarKeysSql, seriesIdFilter } from './scalar-keys-sql.ts';

/*
 * The samples a selector reads between two times (inclusive), as Prometheus series: `samples (sid, st, v,
 * stale)` with `sid` a hash of the series' labels, `st` the sample time in ms and `stale` true for staleness
 * markers (points with OTLP's "no recorded value" flag), and `series (sid, labels)` once per series. Gauges and sums come from `metric_points`; histograms become `_bucket{le}`
 * (cumulative counts), `_sum` and `_count` series; summaries `{quantile}`, `_sum` and `_count`. Delta
 * temporality points are not exposed. Labels are computed once per series, then matched, then joined to points.
 */

const timeFilter = (lo: number, hi: number) =>
  `ts >= make_timestamp(${sqlBigint(lo * 1000)}) AND ts < make_timestamp(${sqlBigint((hi + 1) * 1000)})`;

const POINT_COLUMNS = 'series_id, time_unix_nano // 1000000 AS st, (flags & 1) = 1 AS stale';

/**
 * The (kind, monotonic) pairs a scalar point can have (core's `MetricKind` codes: 1 gauge, 2 sum), as a list
 * unnested next to each series (a join with a pair table would evaluate pushed-down matchers per pair).
 */
const SCALAR_SHAPES = `[${[1, 2]
  .flatMap((kind) => [false, true].map((m) => `{'kind': ${kind}::UTINYINT, 'is_monotonic': ${m}}`))
  .join(', ')}]`;

/** Samples by series id and the labels of each series id (both CTE names). */
export interface SeriesSamples {
  samples: string;
  series: string;
}

/**
 * SQL of the samples of `selector` with times in [lo, hi] ms (offset and `@` already applied by the caller).
 * `tables` leaves out derived point tables known to be empty. With `shapesOnly`, only which series have samples there matters (series matches): the points are first
 * reduced to one row per stored series and point shape (kind, bounds, quantiles), whose `st`/`v` mean nothing.
 * Shapes group by the 64-bit hash of the bounds or quantiles list (grouping by the list itself costs about ten
 * times more): two different lists of one series would have to share a hash to be taken for one.
 * @example selectorSamples(plan, selector, 0, 300_000) // { samples: 'q5', series: 'q6' }
 */
export function selectorSamples(
  plan: SqlPlan,
  selector: VectorSelectorNode,
  lo: number,
  hi: number,
  {
    shapesOnly = false,
    tables = ALL_POINT_TABLES,
    scalarKeys,
    scalars = true,
  }: {
    shapesOnly?: boolean;
    tables?: PointTables;
    /** The scalar series the selector matches, matched beforehand on the catalog (see scalar-series-match.ts). */
    scalarKeys?: readonly ScalarKey[];
    /** False leaves out the scalar series (a caller that finds them otherwise). */
    scalars?: boolean;
  } = {},
): SeriesSamples {
  const shape = (columns: string, table: string, where: string, groups: string) =>
    shapesOnly
      ? `SELECT series_id, ${sqlBigint(lo)} AS st, FALSE AS stale, ${columns} FROM ${table} WHERE ${where} GROUP BY ${groups}`
      : undefined;
  const needs = derivedNeeds(selector.matchers);
  const parts: string[] = [];
  const keyLists: string[] = [];
  const inWindow = `st BETWEEN ${sqlBigint(lo)} AND ${sqlBigint(hi)}`;
  const match = () => splitMatchersSql(plan, selector.matchers);

  if (needs.scalars && scalars && scalarKeys !== undefined) {
    const keys = plan.cte(scalarKeysSql(plan, scalarKeys), true);
    keyLists.push(keys);
    parts.push(
      `SELECT k.sid, p.time_unix_nano // 1000000 AS st, p.value AS v, (p.flags & 1) = 1 AS stale
       FROM metric_points p JOIN ${keys} k
         ON p.series_id = k.series_id AND p.kind = k.kind AND coalesce(p.is_monotonic, FALSE) = k.is_monotonic
       WHERE ${timeFilter(lo, hi)} AND p.temporality <> 1${seriesIdFilter('p.series_id', scalarKeys)}`,
    );
  } else if (needs.scalars && scalars) {
    // Labels of every stored series in each (kind, monotonic) shape a point can have, matched before any point
    // is read: the points scan then only joins the matching keys (no pass over the points to find series).
    const ser = seriesCatalog(plan);
    const m = match();
    const labelled = plan.cte(
      `SELECT series_id, kind, is_monotonic, ${labelsMapSql('entries', 'name')} AS labels FROM (
         SELECT series_id, entries, kind, is_monotonic, ${scalarMetricNameSql('base', 'bare_unit', 'kind', 'is_monotonic')} AS name
         FROM (SELECT series_id, entries, base, bare_unit, shape.kind, shape.is_monotonic
               FROM (SELECT *, unnest(${SCALAR_SHAPES}) AS shape FROM ${ser}))
       ) WHERE ${m.name('name')}`,
      true,
    );
    const keys = plan.cte(`SELECT *, hash(labels) AS sid FROM ${labelled} WHERE ${m.labels('labels')}`, true);
    keyLists.push(keys);
    parts.push(
      shapesOnly
        ? `SELECT k.sid, p.st, p.v, p.stale FROM (${shape(
            'kind, coalesce(is_monotonic, FALSE) AS is_monotonic, 0.0 AS v',
            'metric_points',
            `${timeFilter(lo, hi)} AND temporality <> 1`,
            'series_id, kind, coalesce(is_monotonic, FALSE)',
          )}) p JOIN ${keys} k USING (series_id, kind, is_monotonic)`
        : // Joined on the stored columns first: times and flags are computed for the matching points only.
          `SELECT k.sid, p.time_unix_nano // 1000000 AS st, p.value AS v, (p.flags & 1) = 1 AS stale
           FROM metric_points p JOIN ${keys} k
             ON p.series_id = k.series_id AND p.kind = k.kind AND coalesce(p.is_monotonic, FALSE) = k.is_monotonic
           WHERE ${timeFilter(lo, hi)} AND p.temporality <> 1`,
    );
  }
  if (tables.histograms && (needs.buckets || needs.sums || needs.counts)) {
    const pts = plan.cte(
      shape(
        '0::UBIGINT AS count, any_value(sum) AS sum, any_value(bucket_counts) AS bucket_counts, any_value(explicit_bounds) AS explicit_bounds',
        'histogram_points',
        `${timeFilter(lo, hi)} AND temporality <> 1`,
        'series_id, hash(explicit_bounds), len(bucket_counts), sum IS NULL',
      ) ??
        `SELECT ${POINT_COLUMNS}, count, sum, bucket_counts, explicit_bounds FROM histogram_points
       WHERE ${timeFilter(lo, hi)} AND temporality <> 1`,
    );
    const rows: string[] = [];
    if (needs.sums)
      rows.push(
        `SELECT series_id, st, stale, -1 AS i, ''::VARCHAR AS le, sum AS v FROM ${pts} WHERE sum IS NOT NULL`,
      );
    if (needs.counts)
      rows.push(`SELECT series_id, st, stale, 0 AS i, ''::VARCHAR AS le, count::DOUBLE AS v FROM ${pts}`);
    if (needs.buckets) {
      rows.push(
        `SELECT series_id, st, stale, i,
           CASE WHEN i <= len(explicit_bounds) THEN ${formatFloatSql('explicit_bounds[i]')} ELSE '+Inf' END AS le,
           list_sum(bucket_counts[1:i])::DOUBLE AS v
         FROM (SELECT *, unnest(generate_series(1, len(bucket_counts))) AS i FROM ${pts})`,
      );
    }
    parts.push(
      derivedSamples(
        plan,
        keyLists,
        rows,
        "CASE WHEN k.i = -1 THEN '_sum' WHEN k.i = 0 THEN '_count' ELSE '_bucket' END",
        'le',
        match(),
        inWindow,
      ),
    );
  }
  if (tables.summaries && (needs.sums || needs.counts || needs.quantiles)) {
    const pts = plan.cte(
      shape(
        '0::UBIGINT AS count, 0.0 AS sum, any_value(quantiles) AS quantiles, any_value(quantile_values) AS quantile_values',
        'summary_points',
        timeFilter(lo, hi),
        'series_id, hash(quantiles), len(quantile_values)',
      ) ??
        `SELECT ${POINT_COLUMNS}, count, sum, quantiles, quantile_values FROM summary_points WHERE ${timeFilter(lo, hi)}`,
    );
    const rows: string[] = [];
    if (needs.sums)
      rows.push(`SELECT series_id, st, stale, -1 AS i, ''::VARCHAR AS le, sum AS v FROM ${pts}`);
    if (needs.counts)
      rows.push(`SELECT series_id, st, stale, 0 AS i, ''::VARCHAR AS le, count::DOUBLE AS v FROM ${pts}`);
    if (needs.quantiles) {
      rows.push(
        `SELECT series_id, st, stale, i, ${formatFloatSql('quantiles[i]')} AS le, quantile_values[i] AS v
         FROM (SELECT *, unnest(generate_series(1, len(quantiles))) AS i FROM ${pts})`,
      );
    }
    parts.push(
      derivedSamples(
        plan,
        keyLists,
        rows,
        "CASE WHEN k.i = -1 THEN '_sum' WHEN k.i = 0 THEN '_count' ELSE '' END",
        'quantile',
        match(),
        inWindow,
      ),
    );
  }
  if (parts.length === 0) {
    parts.push('SELECT 0::UBIGINT AS sid, 0::BIGINT AS st, 0.0::DOUBLE AS v, FALSE AS stale WHERE FALSE');
    keyLists.push(plan.cte('SELECT 0::UBIGINT AS sid, MAP {}::MAP(VARCHAR, VARCHAR) AS labels WHERE FALSE'));
  }
  const samples = plan.cte(parts.join('\nUNION ALL\n'));
  const series = plan.cte(
    `SELECT sid, any_value(labels) AS labels FROM (${keyLists.map((k) => `SELECT sid, labels FROM ${k}`).join(' UNION ALL ')}) GROUP BY sid`,
  );
  return { samples, series };
}

/** The label entries of every stored series, computed once per statement (per series, not per point). */
function seriesCatalog(plan: SqlPlan): string {
  return plan.once('series-catalog', () => seriesLabelsSql());
}

/** Samples of series derived from one histogram or summary point (`i`: -1 sum, 0 count, 1.. buckets/quantiles). */
function derivedSamples(
  plan: SqlPlan,
  keyLists: string[],
  rows: string[],
  suffix: string,
  extraLabel: string,
  match: ReturnType<typeof splitMatchersSql>,
  inWindow: string,
): string {
  const expanded = plan.cte(rows.join('\nUNION ALL\n'));
  // Labels of the stored series these points belong to only (not of every stored series).
  const ser = plan.cte(seriesLabelsSql(`SELECT DISTINCT series_id FROM ${expanded}`), true);
  const named = labelsMapSql('entries', 'name');
  const labelled = plan.cte(
    `SELECT series_id, i, le, CASE WHEN i > 0 THEN ${setLabel(plan, named, extraLabel, 'le')} ELSE ${named} END AS labels
     FROM (
       SELECT k.series_id, k.i, k.le, s.entries, s.base || ${suffix} AS name
       FROM (SELECT DISTINCT series_id, i, le FROM ${expanded}) k JOIN ${ser} s USING (series_id)
     ) WHERE ${match.name('name')}`,
    true,
  );
  const keys = plan.cte(`SELECT *, hash(labels) AS sid FROM ${labelled} WHERE ${match.labels('labels')}`);
  keyLists.push(keys);
  return `SELECT k.sid, x.st, x.v, x.stale FROM ${expanded} x JOIN ${keys} k
    ON x.series_id = k.series_id AND x.i = k.i AND x.le = k.le WHERE x.${inWindow}`;
}
