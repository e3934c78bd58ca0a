import type { CompiledQuery, QueryOptions } from '@duckside/core';
import { compileSeriesSelect, MAX_SERIES_TIME_MS, seriesSelectors } from '../compile/compile-series.ts';
import { derivedNeeds } from '../compile/matchers-sql.ts';
import type { ScalarKey } from '../compile/scalar-key.ts';
import { seriesIdFilter } from '../compile/scalar-keys-sql.ts';
import { sqlBigint } from '../sql/sql-text.ts';
import { defaultCatalog } from './evaluate-promql.ts';
import type { PromqlRunner } from './promql-runner.ts';
import type { Labels } from './result.ts';
import { matchScalarSeries } from './scalar-series-match.ts';
import type { SeriesCatalog } from './series-catalog.ts';

interface ShapeRow {
  id: string;
  kind: number;
  m: boolean;
}

const shapeKey = (id: string, kind: number, monotonic: boolean) => `${id}:${kind}:${monotonic}`;

/** The (series, kind, monotonic) shapes of `metric_points` with a non-delta point in [start, end] ms. */
function scalarShapesQuery(keys: readonly ScalarKey[], start: number, end: number): CompiledQuery<ShapeRow> {
  return Object.freeze({
    sql: `SELECT series_id::VARCHAR AS id, kind, m FROM (
      SELECT DISTINCT series_id, kind, coalesce(is_monotonic, FALSE) AS m FROM metric_points
      WHERE ts >= make_timestamp(${sqlBigint(start * 1000)}) AND ts < make_timestamp(${sqlBigint((end + 1) * 1000)})
        AND temporality <> 1${seriesIdFilter('series_id', keys)})`,
    params: Object.freeze([]),
  });
}

/**
 * The distinct label sets of the series `selectors` (`match[]` of `/api/v1/series`, `/labels`,
 * `/label/<name>/values`) select that have a sample in [start, end] ms, unordered. Scalar series are matched
 * on the in-memory catalog and checked for points with one narrow statement; histogram and summary series
 * (whose `le`/`quantile` come from the points) with the compiled series statement, only when such points exist.
 * @throws PromqlParseError for a missing or invalid selector.
 * @example const sets = await seriesLabelSets(db, ['up{job="api"}'], 0, Date.now());
 */
export async function seriesLabelSets(
  runner: PromqlRunner,
  selectors: readonly string[],
  start: number,
  end: number,
  { catalog, run = {} }: { catalog?: SeriesCatalog; run?: QueryOptions } = {},
): Promise<Labels[]> {
  const nodes = seriesSelectors(selectors);
  const lo = Math.round(start);
  const hi = Math.round(Math.min(end, MAX_SERIES_TIME_MS));
  const snapshot = await (catalog ?? defaultCatalog(runner)).snapshot(runner, run);
  const out = new Map<string, Labels>();
  const add = (labels: Labels) => out.set(JSON.stringify(labels), labels);

  const keys = new Map<string, ScalarKey>();
  for (const node of nodes) {
    for (const k of await matchScalarSeries(snapshot, node.matchers, runner, run))
      keys.set(shapeKey(k.id, k.kind, k.monotonic), k);
  }
  if (keys.size > 0) {
    const { rows } = await runner.query(scalarShapesQuery([...keys.values()], lo, hi), run);
    for (const r of rows) {
      const k = keys.get(shapeKey(r.id, r.kind, r.m));
      if (k) add(Object.fromEntries(k.labels));
    }
  }
  const { histograms, summaries } = snapshot.pointTables;
  const derived = nodes.filter((n) => {
    const needs = derivedNeeds(n.matchers);
    return (
      (histograms && (needs.buckets || needs.sums || needs.counts)) ||
      (summaries && (needs.sums || needs.counts || needs.quantiles))
    );
  });
  if (derived.length > 0) {
    const query = compileSeriesSelect(derived, lo, hi, { scalars: false, tables: snapshot.pointTables });
    const { rows } = await runner.query(query, run);
    for (const r of rows) add(Object.fromEntries(r.k.map((name, i) => [name, r.lv[i] as string])));
  }
  return [...out.values()];
}
