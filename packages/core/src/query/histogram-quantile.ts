import { type RollupPlan, routeRollup } from '../rollups/rollup-plan.ts';
import { bucketedDefaults, DEFAULT_QUANTILES } from './bucketed-defaults.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { firstPointCounts } from './cumulative-rule.ts';
import { rollupHistogramQuantiles } from './histogram-quantile-rollup.ts';
import type { HistogramQuantileRow } from './histogram-quantile-row.ts';
import { histogramQuantileTail } from './histogram-rank.ts';
import { QuantileBuilder, type QuantileState } from './quantile-builder.ts';

interface State extends QuantileState {
  quantiles: number[];
}

/**
 * Estimates quantiles of an explicit-bucket histogram metric per time bucket. Cumulative points contribute
 * their rise over the previous point of their series (the same rule as counter `increase`), delta points their
 * counts. The bucket counts are then summed per
 * time bucket (points with the same bounds), then interpolated linearly inside the bucket holding the rank,
 * as Prometheus' `histogram_quantile` does. The first bucket's lower edge is min(0, first bound); ranks in the
 * overflow bucket return the last bound.
 * @example histogramQuantiles('order_latency').quantiles([0.5, 0.99]).interval('1m').compile()
 */
export class HistogramQuantileBuilder extends QuantileBuilder<State> {
  /**
   * Compiles to frozen SQL and parameters. With a rollup plan (`db.execute` passes `db.rollupPlan`), answered from
   * the coarsest rollup level that makes up the buckets (raw points at unaligned edges), naming its `source`.
   */
  compile(plan?: RollupPlan): CompiledQuery<HistogramQuantileRow> {
    const { s, group, where } = this.checkedParts();
    const route = routeRollup(plan, s.interval, s);
    if (route) return rollupHistogramQuantiles(s, s.quantiles, route);
    const raw = this.compileRaw(s, group, where);
    return plan ? compiled(raw.sql, raw.params, [], 'raw') : raw;
  }

  private compileRaw(
    s: Readonly<State>,
    group: ReturnType<HistogramQuantileBuilder['checkedParts']>['group'],
    where: ReturnType<HistogramQuantileBuilder['checkedParts']>['where'],
  ): CompiledQuery<HistogramQuantileRow> {
    const first = firstPointCounts(s);
    return compiled(
      `WITH pts AS (
  SELECT ts, ${group.sql} AS g, explicit_bounds AS bounds, bucket_counts, temporality, count, start_time_unix_nano,
    lag(bucket_counts) OVER w AS prev_counts, lag(count) OVER w AS prev_count,
    lag(start_time_unix_nano) OVER w AS prev_start, ${first.sql} AS first_counts
  FROM otel_histograms${where.toSql()}
  WINDOW w AS (PARTITION BY name, service, symbol, attributes, explicit_bounds ORDER BY time_unix_nano)),
deltas AS (
  SELECT time_bucket(?::INTERVAL, ts) AS bucket, g, bounds,
    CASE WHEN temporality <> 2 THEN bucket_counts::DOUBLE[]
         WHEN prev_counts IS NULL THEN CASE WHEN first_counts THEN bucket_counts::DOUBLE[] END
         WHEN count < prev_count OR start_time_unix_nano IS DISTINCT FROM prev_start THEN bucket_counts::DOUBLE[]
         ELSE list_transform(generate_series(1, len(bucket_counts)), k -> bucket_counts[k]::DOUBLE - prev_counts[k]::DOUBLE)
    END AS counts
  FROM pts),
${histogramQuantileTail(s.quantiles)}`,
      [...group.params, ...first.params, ...where.params, s.interval.sql, ...s.quantiles, s.limit],
    );
  }
}

/** Starts a histogram quantile query (p50, p95, p99 per minute by default). */
export function histogramQuantiles(name: string): HistogramQuantileBuilder {
  return new HistogramQuantileBuilder({ ...bucketedDefaults(name), quantiles: [...DEFAULT_QUANTILES] });
}
