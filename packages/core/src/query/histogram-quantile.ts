import { bucketedDefaults, DEFAULT_QUANTILES } from './bucketed-defaults.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { firstPointCounts } from './cumulative-rule.ts';
import { QuantileBuilder, type QuantileState } from './quantile-builder.ts';
import { quantilePlaceholders } from './quantile-list.ts';

/** One estimated quantile of a histogram metric in one time bucket. */
export interface HistogramQuantileRow {
  bucket: Date;
  group: string | null;
  quantile: number;
  value: number | null;
  count: number;
}

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
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<HistogramQuantileRow> {
    const { s, group, where } = this.checkedParts();
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
exploded AS (
  SELECT bucket, g, bounds, unnest(counts) AS c, generate_subscripts(counts, 1) AS i FROM deltas WHERE counts IS NOT NULL),
summed AS (SELECT bucket, g, bounds, i, sum(c)::DOUBLE AS c FROM exploded GROUP BY ALL),
cumulative AS (
  SELECT bucket, g, bounds, i, c,
    sum(c) OVER (PARTITION BY bucket, g, bounds ORDER BY i) AS cum,
    sum(c) OVER (PARTITION BY bucket, g, bounds) AS total
  FROM summed),
ranked AS (
  SELECT q, bucket, g, bounds, i, c, cum, total FROM cumulative, unnest([${quantilePlaceholders(s.quantiles)}]) AS t(q)
  WHERE total > 0 AND cum >= q * total
  QUALIFY row_number() OVER (PARTITION BY q, bucket, g, bounds ORDER BY i) = 1)
SELECT bucket, g AS "group", q AS quantile,
  CASE WHEN len(bounds) = 0 THEN NULL
       WHEN i > len(bounds) THEN bounds[len(bounds)]
       ELSE (CASE WHEN i = 1 THEN least(0, bounds[1]) ELSE bounds[i - 1] END)
            + (bounds[i] - CASE WHEN i = 1 THEN least(0, bounds[1]) ELSE bounds[i - 1] END)
              * CASE WHEN c = 0 THEN 1 ELSE (q * total - (cum - c)) / c END
  END AS value,
  total AS count
FROM ranked ORDER BY bucket, "group", quantile LIMIT ?`,
      [...group.params, ...first.params, ...where.params, s.interval.sql, ...s.quantiles, s.limit],
    );
  }
}

/** Starts a histogram quantile query (p50, p95, p99 per minute by default). */
export function histogramQuantiles(name: string): HistogramQuantileBuilder {
  return new HistogramQuantileBuilder({ ...bucketedDefaults(name), quantiles: [...DEFAULT_QUANTILES] });
}
