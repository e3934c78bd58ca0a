import type { AggregatedMetric } from '../models/result-types.ts';
import type { RollupRoute } from '../rollups/rollup-plan.ts';
import type { Aggregation } from './aggregations.ts';
import type { BucketedMetricState } from './bucketed-metric-builder.ts';
import { type CompiledQuery, compiled, type SqlParam } from './compiled-query.ts';
import { firstPointCounts } from './cumulative-rule.ts';
import { groupExpression } from './metric-grouping.ts';
import { metricRollupRows } from './rollup-sources.ts';

/** The aggregations rollup rows merge into exactly the raw answer. */
export type MergeableAggregation = Exclude<Aggregation, 'p50' | 'p90' | 'p95' | 'p99'>;

/** Whether an aggregation merges from rollup rows (quantiles of raw values do not). */
export const isMergeable = (fn: Aggregation): fn is MergeableAggregation => !/^p\d+$/.test(fn);

const MERGED: Record<Exclude<MergeableAggregation, 'rate' | 'increase'>, string> = {
  avg: 'sum(sum) / sum(count)',
  sum: 'sum(sum)',
  min: 'min(min)',
  max: 'max(max)',
  count: 'sum(count)::DOUBLE',
  first: 'arg_min(first_value, first_time)',
  last: 'arg_max(last_value, last_time)',
};

/**
 * A metric aggregate answered along a rollup route: rollup buckets and raw rows merged per query bucket. `rate`
 * and `increase` walk each stream's rows in time order: a row adds its `increase_rest`, and a cumulative first
 * point its rise over the row before (its whole value after a fall or a new start time; for the stream's first
 * row, by the raw rule of `firstPointCounts`), which is the raw answer point for point.
 * @example rollupAggregate(state, 'sum', route)
 */
export function rollupAggregate(
  s: BucketedMetricState,
  fn: MergeableAggregation,
  route: RollupRoute,
): CompiledQuery<AggregatedMetric> {
  const group = groupExpression(s.grouping);
  const full = mergedAggregate(s, fn, metricRollupRows(s, route, group, false));
  const clean = mergedAggregate(s, fn, metricRollupRows(s, route, group, true));
  return compiled(full.sql, full.params, [], route.source, clean);
}

function mergedAggregate(
  s: BucketedMetricState,
  fn: MergeableAggregation,
  rows: { sql: string; params: readonly SqlParam[] },
): { sql: string; params: SqlParam[] } {
  if (fn === 'rate' || fn === 'increase') {
    const perSecond = fn === 'rate' ? ` / ${s.interval.seconds}` : '';
    const first = firstPointCounts(s);
    return {
      sql: `WITH ${rows.sql},
ordered AS (
  SELECT *, first_start AS start_time_unix_nano, lag(last_value) OVER w AS prev_last, lag(last_start) OVER w AS prev_last_start
  FROM rows WINDOW w AS (PARTITION BY stream_key ORDER BY first_time))
SELECT time_bucket(?::INTERVAL, ts) AS bucket, g AS "group",
  sum(increase_rest + CASE WHEN NOT first_cumulative THEN 0
    WHEN prev_last IS NULL THEN CASE WHEN ${first.sql} THEN first_value ELSE 0 END
    WHEN first_value < prev_last OR first_start IS DISTINCT FROM prev_last_start THEN first_value
    ELSE first_value - prev_last END)${perSecond} AS value,
  sum(count) AS samples
FROM ordered GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ?`,
      params: [...rows.params, s.interval.sql, ...first.params, s.limit],
    };
  }
  return {
    sql: `WITH ${rows.sql}
SELECT time_bucket(?::INTERVAL, ts) AS bucket, g AS "group", ${MERGED[fn]} AS value, sum(count) AS samples
FROM rows GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ?`,
    params: [...rows.params, s.interval.sql, s.limit],
  };
}
