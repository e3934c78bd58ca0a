import { sqlDouble } from '../sql-text.ts';
import { ieeeCompare } from './float-sql.ts';
import { dropLabels } from './label-sql.ts';
import type { SqlPlan } from './plan.ts';

/**
 * `histogram_quantile(q, v)` over classic buckets (series with an `le` label), as Prometheus 2.42's
 * `bucketQuantile`: buckets grouped by their other labels, equal bounds merged, counts made monotonic, NaN
 * without a `+Inf` bucket or with fewer than two buckets or no observations, linear interpolation inside the
 * bucket holding the rank (the lowest bucket starting at 0 unless its bound is <= 0).
 * @example histogramQuantile(plan, 0.99, 'q7')
 */
export function histogramQuantile(plan: SqlPlan, q: number, input: string): string {
  const group = dropLabels(plan, 'labels', ['le'], true);
  const le = plan.param('le');
  const merged = plan.cte(
    `SELECT g, t, ub, sum(v) AS c0 FROM (
       SELECT ${group} AS g, t, try_cast(labels[${le}] AS DOUBLE) AS ub, v FROM ${input}
     ) WHERE ub IS NOT NULL GROUP BY g, t, ub`,
  );
  const ordered = plan.cte(
    `SELECT *, lag(ub) OVER w AS prev_ub, lag(c) OVER w AS prev_c,
       max(c) OVER (PARTITION BY g, t) AS total
     FROM (
       SELECT g, t, ub, max(c0) OVER (w0 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS c,
         row_number() OVER w0 - 1 AS i, count(*) OVER (PARTITION BY g, t) AS nb, max(ub) OVER (PARTITION BY g, t) AS top
       FROM ${merged} WINDOW w0 AS (PARTITION BY g, t ORDER BY ub)
     ) WINDOW w AS (PARTITION BY g, t ORDER BY ub)`,
  );
  const rank = `(${sqlDouble(q)} * total)`;
  const inRank = `i <= nb - 2 AND ${ieeeCompare('>=', 'c', rank)}`;
  const picked = plan.cte(
    `SELECT g, t, any_value(top) AS top, any_value(nb) AS nb, any_value(total) AS total,
       min(i) FILTER (WHERE ${inRank}) AS bi,
       arg_min(ub, i) FILTER (WHERE ${inRank}) AS b_ub, arg_min(c, i) FILTER (WHERE ${inRank}) AS b_c,
       arg_min(coalesce(prev_ub, 0), i) FILTER (WHERE ${inRank}) AS b_start,
       arg_min(coalesce(prev_c, 0), i) FILTER (WHERE ${inRank}) AS b_prev_c,
       max(ub) FILTER (WHERE i = nb - 2) AS second_top
     FROM ${ordered} GROUP BY g, t`,
  );
  let value: string;
  if (Number.isNaN(q)) value = "'NaN'::DOUBLE";
  else if (q < 0) value = "'-Infinity'::DOUBLE";
  else if (q > 1) value = "'Infinity'::DOUBLE";
  else {
    value = `CASE WHEN top <> 'Infinity'::DOUBLE OR nb < 2 OR total = 0 THEN 'NaN'::DOUBLE
      WHEN bi IS NULL THEN second_top
      WHEN bi = 0 AND b_ub <= 0 THEN b_ub
      ELSE b_start + (b_ub - b_start) * ((${rank} - b_prev_c) / (b_c - b_prev_c)) END`;
  }
  return plan.cte(`SELECT g AS labels, t, ${value} AS v FROM ${picked}`);
}
