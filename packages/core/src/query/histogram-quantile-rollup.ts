import type { RollupRoute } from '../rollups/rollup-plan.ts';
import type { BucketedMetricState } from './bucketed-metric-builder.ts';
import { type CompiledQuery, compiled, type SqlParam } from './compiled-query.ts';
import { firstPointCounts } from './cumulative-rule.ts';
import type { HistogramQuantileRow } from './histogram-quantile-row.ts';
import { histogramQuantileTail } from './histogram-rank.ts';
import { groupExpression } from './metric-grouping.ts';
import { histogramRollupRows } from './rollup-sources.ts';

/**
 * Explicit-bucket histogram quantiles answered along a rollup route: each stream's rows (rollup buckets and raw
 * points, per set of bounds) in time order contribute their `rest_counts`, and a cumulative first point its rise
 * over the row before (all its counts after a fall of `count` or a new start time; for the stream's first row, by
 * the raw rule of `firstPointCounts`): the raw query's bucket counts, so the same quantiles.
 * @example rollupHistogramQuantiles(state, [0.5, 0.99], route)
 */
export function rollupHistogramQuantiles(
  s: BucketedMetricState,
  quantiles: readonly number[],
  route: RollupRoute,
): CompiledQuery<HistogramQuantileRow> {
  const group = groupExpression(s.grouping);
  const full = merged(s, quantiles, histogramRollupRows(s, route, group, false));
  const clean = merged(s, quantiles, histogramRollupRows(s, route, group, true));
  return compiled(full.sql, full.params, [], route.source, clean);
}

function merged(
  s: BucketedMetricState,
  quantiles: readonly number[],
  rows: { sql: string; params: readonly SqlParam[] },
): { sql: string; params: SqlParam[] } {
  const first = firstPointCounts(s);
  return {
    sql: `WITH ${rows.sql},
ordered AS (
  SELECT *, first_start AS start_time_unix_nano, lag(last_counts) OVER w AS prev_counts,
    lag(last_count) OVER w AS prev_count, lag(last_start) OVER w AS prev_start
  FROM rows WINDOW w AS (PARTITION BY stream_key, bounds ORDER BY first_time)),
deltas AS (
  SELECT time_bucket(?::INTERVAL, ts) AS bucket, g, bounds, rest_counts AS counts FROM ordered
  UNION ALL
  SELECT time_bucket(?::INTERVAL, ts) AS bucket, g, bounds,
    CASE WHEN prev_counts IS NULL THEN CASE WHEN ${first.sql} THEN first_counts END
         WHEN first_count < prev_count OR first_start IS DISTINCT FROM prev_start THEN first_counts
         ELSE list_transform(generate_series(1, len(first_counts)), k -> first_counts[k] - prev_counts[k])
    END AS counts
  FROM ordered WHERE first_cumulative),
${histogramQuantileTail(quantiles)}`,
    params: [...rows.params, s.interval.sql, s.interval.sql, ...first.params, ...quantiles, s.limit],
  };
}
