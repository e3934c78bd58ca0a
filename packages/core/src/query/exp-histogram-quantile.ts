import type { RollupPlan } from '../rollups/rollup-plan.ts';
import { bucketedDefaults, DEFAULT_QUANTILES } from './bucketed-defaults.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { SERIES_WINDOW } from './cumulative-rule.ts';
import type { HistogramQuantileRow } from './histogram-quantile-row.ts';
import { Contribution, contributionMode, NEXT_RISES } from './point-contribution.ts';
import { QuantileBuilder, type QuantileState } from './quantile-builder.ts';
import { quantilePlaceholders } from './quantile-list.ts';

interface State extends QuantileState {
  quantiles: number[];
}

/** The bucket columns of a point, by the short names the query uses. */
const BUCKET_COLUMNS = `scale, zero_count::DOUBLE AS zero, zero_threshold AS threshold, positive_offset AS pos_offset,
    positive_bucket_counts AS pos, negative_offset AS neg_offset, negative_bucket_counts AS neg`;
const SHORT_BUCKET_COLUMNS = 'scale, zero, threshold, pos_offset, pos, neg_offset, neg';

/** Cells of one bucket list (`pos` or `neg`) downscaled to the bucket's common scale. */
const cells = (list: 'pos' | 'neg', sign: 1 | -1) =>
  `SELECT bucket, g, target, threshold_max, ${sign} AS side,
    unnest(list_transform(range(len(${list})), k -> (${list}_offset + k) >> (scale - target))) AS idx,
    weight * unnest(${list})::DOUBLE AS c
  FROM framed`;

/**
 * Estimates quantiles of an exponential histogram metric per time bucket. Points in one time bucket (and group)
 * are merged at their lowest scale: a finer point's bucket index `i` becomes `i >> (scale - target)`, as OpenTelemetry
 * downscales. Delta points add their counts; a cumulative point adds its rise over the previous point of its series
 * (its whole counts after a reset, see `contributionMode`). Rises telescope: a series' rises inside one time
 * bucket sum to its last point there minus the point before them, so only those two are read (a point followed by
 * a reset counts too), the subtraction done bucket by bucket at the common scale. The
 * zero bucket of the merge has the largest zero threshold of its points, and positive or negative buckets wholly
 * inside it move into it. The rank `q * count` is found in the buckets ordered from the most negative to the most
 * positive, then interpolated inside its bucket: log-linearly within an exponential bucket `(base^i, base^(i+1)]`
 * (`base^(i + f)`, f the rank's fraction of the bucket; mirrored for negative buckets), linearly within the zero
 * bucket (between `-threshold` and `threshold`, or from 0 when there are no negative or no positive buckets), as
 * Prometheus' native histograms do. The estimate lies in the bucket holding the rank, so its relative error is at
 * most `base - 1` (`2^(2^-scale) - 1`) of the true quantile.
 * @example expHistogramQuantiles('order_latency').quantiles([0.5, 0.99]).interval('1h').groupBy({ by: 'symbol' })
 */
export class ExpHistogramQuantileBuilder extends QuantileBuilder<State> {
  /**
   * Compiles to frozen SQL and parameters. Always from raw points (exponential histograms are not rolled up: the
   * merge scale of a bucket depends on points outside it); with a rollup plan the query says so (`source: 'raw'`).
   */
  compile(plan?: RollupPlan): CompiledQuery<HistogramQuantileRow> {
    const raw = this.compileRaw();
    return plan ? compiled(raw.sql, raw.params, [], 'raw') : raw;
  }

  private compileRaw(): CompiledQuery<HistogramQuantileRow> {
    const { s, group, where } = this.checkedParts();
    const mode = contributionMode(s);
    return compiled(
      `WITH pts AS (
  SELECT time_bucket(?::INTERVAL, ts) AS bucket, g, ${mode.sql} AS mode, ${NEXT_RISES} AS next_rises,
    time_bucket(?::INTERVAL, next_ts) AS next_bucket, ${SHORT_BUCKET_COLUMNS}
  FROM (SELECT ts, ${group.sql} AS g, temporality, count, start_time_unix_nano, ${BUCKET_COLUMNS},
          lag(count) OVER w AS prev_count, lag(start_time_unix_nano) OVER w AS prev_start,
          lead(temporality) OVER w AS next_temporality, lead(count) OVER w AS next_count,
          lead(start_time_unix_nano) OVER w AS next_start, lead(ts) OVER w AS next_ts
        FROM otel_exp_histograms${where.toSql()}
        WINDOW w AS (${SERIES_WINDOW}))),
links AS (SELECT *, next_rises AND next_bucket = bucket AS rises_here FROM pts),
sides AS (
  SELECT bucket, g, 1::DOUBLE AS weight, ${SHORT_BUCKET_COLUMNS} FROM links
  WHERE mode <> ${Contribution.Baseline} AND NOT rises_here
  UNION ALL
  SELECT next_bucket AS bucket, g, -1::DOUBLE AS weight, ${SHORT_BUCKET_COLUMNS} FROM links
  WHERE next_rises AND NOT (mode <> ${Contribution.Baseline} AND rises_here)),
framed AS (
  SELECT *, min(scale) OVER b AS target, max(threshold) OVER b AS threshold_max FROM sides
  WINDOW b AS (PARTITION BY bucket, g)),
cells AS (
  ${cells('pos', 1)}
  UNION ALL
  ${cells('neg', -1)}
  UNION ALL
  SELECT bucket, g, target, threshold_max, 0 AS side, 0 AS idx, weight * zero AS c FROM framed),
folded AS (
  SELECT bucket, g, target, threshold_max, c,
    CASE WHEN in_zero THEN 0 ELSE side END AS side, CASE WHEN in_zero THEN 0 ELSE idx END AS idx
  FROM (SELECT *, side <> 0 AND power(2, (idx + 1) * power(2, -target)) <= threshold_max AS in_zero
        FROM cells WHERE c <> 0)),
merged AS (
  SELECT bucket, g, target, threshold_max, side, idx, sum(c) AS c FROM folded
  GROUP BY bucket, g, target, threshold_max, side, idx HAVING sum(c) > 0),
cumulative AS (
  SELECT *, sum(c) OVER (PARTITION BY bucket, g ORDER BY side, side * idx ROWS UNBOUNDED PRECEDING) AS cum,
    sum(c) OVER b AS total, bool_or(side = -1) OVER b AS has_negative, bool_or(side = 1) OVER b AS has_positive
  FROM merged WINDOW b AS (PARTITION BY bucket, g)),
ranked AS (
  SELECT q, bucket, g, target, threshold_max, side, idx, total, has_negative, has_positive,
    (q * total - (cum - c)) / c AS f
  FROM cumulative, unnest([${quantilePlaceholders(s.quantiles)}]) AS t(q)
  WHERE cum >= q * total
  QUALIFY row_number() OVER (PARTITION BY q, bucket, g ORDER BY cum) = 1)
SELECT bucket, g AS "group", q AS quantile,
  CASE side WHEN 1 THEN power(2, (idx + f) * power(2, -target))
            WHEN -1 THEN -power(2, (idx + 1 - f) * power(2, -target))
            WHEN 0 THEN CASE WHEN has_negative AND has_positive THEN threshold_max * (2 * f - 1)
                             WHEN has_negative THEN threshold_max * (f - 1)
                             ELSE threshold_max * f END
  END AS value,
  total AS count
FROM ranked ORDER BY bucket, "group", quantile LIMIT ?`,
      [
        s.interval.sql,
        ...mode.params,
        s.interval.sql,
        ...group.params,
        ...where.params,
        ...s.quantiles,
        s.limit,
      ],
    );
  }
}

/** Starts an exponential histogram quantile query (p50, p95, p99 per minute by default). */
export function expHistogramQuantiles(name: string): ExpHistogramQuantileBuilder {
  return new ExpHistogramQuantileBuilder({ ...bucketedDefaults(name), quantiles: [...DEFAULT_QUANTILES] });
}
