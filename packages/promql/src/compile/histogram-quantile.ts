import { sqlDouble } from '../sql/sql-text.ts';
import { ieeeCompare } from './float-sql.ts';
import { dropLabels } from './label-sql.ts';
import type { SqlPlan } from './plan.ts';
import type { KeyedVector } from './values.ts';

/**
 * `histogram_quantile(q, v)` over classic buckets (series with an `le` label), as Prometheus 2.42's
 * `bucketQuantile`: buckets grouped by their other labels, equal bounds merged, counts made monotonic, NaN
 * without a `+Inf` bucket or with fewer than two buckets or no observations, linear interpolation inside the
 * bucket holding the rank (the lowest bucket starting at 0 unless its bound is <= 0).
 * With the input's keyed form, bounds and group labels are read once per series.
 * @example histogramQuantile(plan, 0.99, { cte: 'q7' })
 */
export function histogramQuantile(
  plan: SqlPlan,
  q: number,
  vector: { cte: string; keyed?: KeyedVector | undefined },
): string {
  const group = dropLabels(plan, 'labels', ['le'], true);
  const le = plan.param('le');
  let merged: string;
  let labelsJoin = '';
  if (vector.keyed) {
    // Bucket bound and group labels once per series; rows grouped by a key of the group labels.
    const buckets = plan.cte(
      `SELECT sid, labels, hash(labels) AS gid, ub FROM (
         SELECT sid, ${group} AS labels, try_cast(labels[${le}] AS DOUBLE) AS ub FROM ${vector.keyed.series}
       ) WHERE ub IS NOT NULL`,
    );
    merged = plan.cte(
      `SELECT b.gid AS g, x.t, b.ub, sum(x.v) AS c0 FROM ${vector.keyed.values} x JOIN ${buckets} b USING (sid)
       GROUP BY b.gid, x.t, b.ub`,
    );
    const groups = plan.cte(`SELECT gid, any_value(labels) AS labels FROM ${buckets} GROUP BY gid`);
    labelsJoin = ` JOIN ${groups} ON g = gid`;
  } else {
    merged = plan.cte(
      `SELECT g, t, ub, sum(v) AS c0 FROM (
         SELECT ${group} AS g, t, try_cast(labels[${le}] AS DOUBLE) AS ub, v FROM ${vector.cte}
       ) WHERE ub IS NOT NULL GROUP BY g, t, ub`,
    );
  }
  // One row per group and step with its buckets as lists sorted by bound (no window over many tiny partitions):
  // counts made monotonic by a running max, then the bucket holding the rank picked by position.
  const buckets = plan.cte(
    `SELECT g, t, ubs, len(ubs) AS nb, list_max(ubs) AS top, cs, list_max(cs) AS total FROM (
       SELECT g, t, ubs, list_transform(range(1, len(c0s) + 1), j -> list_max(list_slice(c0s, 1, j))) AS cs FROM (
         SELECT g, t, list_transform(b, x -> x.ub) AS ubs, list_transform(b, x -> x.c0) AS c0s
         FROM (SELECT g, t, list_sort(list({'ub': ub, 'c0': c0})) AS b FROM ${merged} GROUP BY g, t)
       )
     )`,
  );
  const rank = `(${sqlDouble(q)} * total)`;
  const picked = plan.cte(
    `SELECT g, t, top, nb, total, bi, ubs[bi] AS b_ub, cs[bi] AS b_c,
       CASE WHEN bi > 1 THEN ubs[bi - 1] ELSE 0 END AS b_start, CASE WHEN bi > 1 THEN cs[bi - 1] ELSE 0 END AS b_prev_c,
       ubs[nb - 1] AS second_top
     FROM (SELECT *, list_filter(range(1, nb), j -> ${ieeeCompare('>=', 'cs[j]', rank)})[1] AS bi FROM ${buckets})`,
  );
  let value: string;
  if (Number.isNaN(q)) value = "'NaN'::DOUBLE";
  else if (q < 0) value = "'-Infinity'::DOUBLE";
  else if (q > 1) value = "'Infinity'::DOUBLE";
  else {
    value = `CASE WHEN top <> 'Infinity'::DOUBLE OR nb < 2 OR total = 0 THEN 'NaN'::DOUBLE
      WHEN bi IS NULL THEN second_top
      WHEN bi = 1 AND b_ub <= 0 THEN b_ub
      ELSE b_start + (b_ub - b_start) * ((${rank} - b_prev_c) / (b_c - b_prev_c)) END`;
  }
  return plan.cte(
    `SELECT ${labelsJoin ? 'labels' : 'g AS labels'}, t, ${value} AS v FROM ${picked}${labelsJoin}`,
  );
}
