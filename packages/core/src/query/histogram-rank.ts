import { quantilePlaceholders } from './quantile-list.ts';

/**
 * The end of an explicit-bucket quantile query: from a CTE `deltas` (`bucket`, `g`, `bounds`, `counts`: the
 * bucket-count contributions of one point or rollup row, NULL for none) to the quantile rows: counts summed per
 * time bucket, group and bounds, the bucket holding each rank found and interpolated linearly (the first bucket's
 * lower edge min(0, first bound); ranks in the overflow bucket return the last bound). Parameters: the quantiles,
 * then the row limit.
 * @example `WITH deltas AS (...),\n${histogramQuantileTail(quantiles)}`
 */
export function histogramQuantileTail(quantiles: readonly number[]): string {
  return `exploded AS (
  SELECT bucket, g, bounds, unnest(counts) AS c, generate_subscripts(counts, 1) AS i FROM deltas WHERE counts IS NOT NULL),
summed AS (SELECT bucket, g, bounds, i, sum(c)::DOUBLE AS c FROM exploded GROUP BY ALL),
cumulative AS (
  SELECT bucket, g, bounds, i, c,
    sum(c) OVER (PARTITION BY bucket, g, bounds ORDER BY i) AS cum,
    sum(c) OVER (PARTITION BY bucket, g, bounds) AS total
  FROM summed),
ranked AS (
  SELECT q, bucket, g, bounds, i, c, cum, total FROM cumulative, unnest([${quantilePlaceholders(quantiles)}]) AS t(q)
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
FROM ranked ORDER BY bucket, "group", quantile LIMIT ?`;
}
