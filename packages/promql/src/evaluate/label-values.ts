import type { CompiledQuery, QueryOptions } from '@duckside/core';
import { ALL_SERIES_SELECTOR, MAX_SERIES_TIME_MS } from '../compile/compile-series.ts';
import type { PointTables } from '../compile/point-tables.ts';
import { sqlBigint } from '../sql/sql-text.ts';
import { defaultCatalog } from './evaluate-promql.ts';
import type { PromqlRunner } from './promql-runner.ts';
import type { SeriesCatalog } from './series-catalog.ts';
import { seriesLabelSets } from './series-label-sets.ts';

/** Labels whose values depend on a series' points (its kind, buckets or quantiles), not on the stored series. */
const POINT_LABELS = new Set(['__name__', 'le', 'quantile']);

/**
 * Stored series with a point any Prometheus series is made of in [start, end] ms: a non-delta scalar or
 * explicit histogram point (a histogram point always gives a `_count` series), or a summary point; tables
 * known to be empty are not read.
 */
function storedSeriesQuery(start: number, end: number, tables: PointTables): CompiledQuery<{ id: string }> {
  const range = `ts >= make_timestamp(${sqlBigint(start * 1000)}) AND ts < make_timestamp(${sqlBigint((end + 1) * 1000)})`;
  const parts = [`SELECT DISTINCT series_id FROM metric_points WHERE ${range} AND temporality <> 1`];
  if (tables.histograms)
    parts.push(`SELECT DISTINCT series_id FROM histogram_points WHERE ${range} AND temporality <> 1`);
  if (tables.summaries) parts.push(`SELECT DISTINCT series_id FROM summary_points WHERE ${range}`);
  return Object.freeze({
    sql: `SELECT series_id::VARCHAR AS id FROM (${parts.join(' UNION ')})`,
    params: Object.freeze([]),
  });
}

/**
 * The values of label `name` over the series with a sample in [start, end] ms (`/api/v1/label/<name>/values`),
 * unordered. Without `match[]` and for a label the stored series carries (all but `__name__`, `le` and
 * `quantile`), the values are read off the catalog for the stored series with points in the range (one
 * statement of distinct ids); otherwise from the full label sets.
 * @example await labelValues(db, 'symbol', [], start, end)
 */
export async function labelValues(
  runner: PromqlRunner,
  name: string,
  selectors: readonly string[],
  start: number,
  end: number,
  options: { catalog?: SeriesCatalog; run?: QueryOptions } = {},
): Promise<string[]> {
  const values = new Set<string>();
  if (selectors.length > 0 || POINT_LABELS.has(name)) {
    const sets = await seriesLabelSets(
      runner,
      selectors.length > 0 ? selectors : [ALL_SERIES_SELECTOR],
      start,
      end,
      options,
    );
    for (const labels of sets) if (labels[name] !== undefined) values.add(labels[name] as string);
    return [...values];
  }
  const run = options.run ?? {};
  const snapshot = await (options.catalog ?? defaultCatalog(runner)).snapshot(runner, run);
  const lo = Math.round(start);
  const hi = Math.round(Math.min(end, MAX_SERIES_TIME_MS));
  const { rows } = await runner.query(storedSeriesQuery(lo, hi, snapshot.pointTables), run);
  for (const { id } of rows) {
    const entry = snapshot.byId.get(id)?.entries.find((e) => e[0] === name);
    if (entry !== undefined) values.add(entry[1]);
  }
  return [...values];
}
