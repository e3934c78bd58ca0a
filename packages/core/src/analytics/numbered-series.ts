import { checkText, WhereClause } from '../query/builder-base.ts';
import type { SqlParam } from '../query/compiled-query.ts';
import { seriesWhere } from '../query/metric-filter.ts';
import { RIGHT_SIDE } from './asof-clause.ts';
import {
  type Fragment,
  keyExpression,
  keyNames,
  type LabelFilter,
  type MatchKeys,
  type SideFilter,
} from './asof-sources.ts';

/** A metric read as the right side of as-of lookups: name, labels and the label holding the venue. */
export interface NumberedMetric {
  name: string;
  labels?: LabelFilter;
  venueLabel?: string;
}

/** The CTEs of a {@link numberedSeries} and how a left CTE picks up its key number. */
export interface NumberedSeries extends Fragment {
  /** ` LEFT JOIN <alias>_n ON <left keys> = <its keys>`: adds `<alias>_n._n` to the rows of `left`. */
  leftJoin: (left: string, leftKey: (index: number) => string) => string;
}

/**
 * A metric's points as the right side of an as-of join, read straight from `metric_points` by series id rather
 * than through `trading_metrics`: `<alias>_k` holds the selected series with their match keys (computed once per
 * series, not per point), `<alias>_n` numbers each distinct key tuple (without NULLs, which never match) as a
 * `UINTEGER` `_n`, and `<alias>` holds the points as `_n`, `_rts` (the stored `TIMESTAMP`) and `right_value`.
 * Joining on one small integer instead of strings makes DuckDB's `ASOF JOIN` sort several times faster.
 */
export function numberedSeries(
  alias: string,
  metric: NumberedMetric,
  keys: MatchKeys,
  filter: SideFilter,
): NumberedSeries {
  const names = keyNames(keys);
  const params: SqlParam[] = [];
  const select = ['series_id'];
  for (const [index, name] of names.entries()) {
    const key = keyExpression('metric', name, metric.venueLabel);
    select.push(`${key.sql} AS ${RIGHT_SIDE.key(index)}`);
    params.push(...key.params);
  }
  const series = seriesWhere({ name: metric.name, ...(metric.labels ? { labels: metric.labels } : {}) });
  for (const [name, value] of Object.entries(filter.equal)) {
    if (value === undefined) continue;
    const key = keyExpression('metric', name, metric.venueLabel);
    series.add(`${key.sql} = ?`, ...key.params, checkText(name, value));
  }
  const columns = names.map((_, i) => RIGHT_SIDE.key(i));
  const time = new WhereClause();
  filter.time(time);
  const sameKeys = (a: string, b: string, key: (index: number) => string) =>
    columns.map((c, i) => `${a}.${key(i)} = ${b}.${c}`).join(' AND ');
  const sql = `${alias}_k AS (SELECT ${select.join(', ')} FROM metric_series${series.toSql()}),
${alias}_n AS (SELECT *, (row_number() OVER ())::UINTEGER AS _n FROM (SELECT DISTINCT ${columns.join(', ')} FROM ${alias}_k WHERE ${columns.map((c) => `${c} IS NOT NULL`).join(' AND ')})),
${alias}_s AS (SELECT k.series_id, n._n FROM ${alias}_k k JOIN ${alias}_n n ON ${sameKeys('k', 'n', RIGHT_SIDE.key)}),
${alias} AS (SELECT s._n, p.ts AS ${RIGHT_SIDE.time}, p.value AS right_value FROM metric_points p JOIN ${alias}_s s USING (series_id)${time.toSql()})`;
  return {
    sql,
    params: [...params, ...series.params, ...time.params],
    leftJoin: (left, leftKey) => ` LEFT JOIN ${alias}_n ON ${sameKeys(left, `${alias}_n`, leftKey)}`,
  };
}
