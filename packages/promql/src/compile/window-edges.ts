import { sqlBigint } from '../sql/sql-text.ts';
import { ieeeCompare } from './float-sql.ts';
import type { Grid, SqlPlan } from './plan.ts';
import { gridSteps } from './plan.ts';
import type { RangeSource } from './range-window.ts';

/** The window aggregates {@link windowEdges} gives: what rate, increase, delta, irate, idelta and friends read. */
export const EDGE_AGGREGATES = new Set([
  'n',
  'first_v',
  'last_v',
  'first_t',
  'last_t',
  'corr',
  'prev_last_v',
  'prev_last_t',
]);

/**
 * Per series and step, the aggregates of its window read from the window's first and last samples alone:
 * `(sid, k, t, w_lo, w_hi, n, first_v, first_t, last_v, last_t, corr, prev_last_v, prev_last_t)`.
 *
 * Samples are numbered per series; sample i holds the steps [k_lo, k_hi] whose window contains it (both ends
 * included, as in Prometheus 2.42), and is the first sample of window k when its predecessor is not in that
 * window (k > the predecessor's k_hi), the last when its successor is not (k < the successor's k_lo). So every
 * window with samples comes out of one first and one last row, however many samples it holds: the count is
 * the difference of the numbers. The counter-reset correction (`corr`: the values before each drop whose pair
 * is in the window, 0 without `withCorrections`) is summed from the drops alone. Rows scale with windows, not
 * with samples x windows per sample. With `minSamples` 2, windows of one sample are not produced.
 * @example windowEdges(plan, { samples: 'q3', series: 'q4', range: 300_000, offset: 0 }, grid)
 */
export function windowEdges(
  plan: SqlPlan,
  source: RangeSource,
  grid: Grid,
  withCorrections: boolean,
  minSamples: number,
): string {
  const { start, step } = grid;
  const last = gridSteps(grid) - 1;
  const off = source.offset;
  const kLo = `greatest(0, ceil((st + ${sqlBigint(off)} - ${sqlBigint(start)})::DOUBLE / ${step})::BIGINT)`;
  const kHi = `least(${last}, floor((st + ${sqlBigint(off + source.range)} - ${sqlBigint(start)})::DOUBLE / ${step})::BIGINT)`;
  const numbered = plan.cte(
    `SELECT sid, st, v, k_lo, k_hi, row_number() OVER w AS i, lag(st) OVER w AS prev_st, lag(v) OVER w AS prev_v,
       lag(k_hi) OVER w AS prev_k_hi, lead(k_lo) OVER w AS next_k_lo
     FROM (SELECT sid, st, v, ${kLo} AS k_lo, ${kHi} AS k_hi FROM ${source.samples} WHERE NOT stale)
     WINDOW w AS (PARTITION BY sid ORDER BY st, v)`,
  );
  // A drop (counter reset) corrects the windows holding both samples of the pair: steps from the later's k_lo
  // to the earlier's k_hi. Drops are rare, so this is a short list summed directly (as Prometheus adds them).
  const corrections = withCorrections
    ? ` LEFT JOIN ${plan.cte(
        `SELECT sid, k, sum(prev_v) AS corr FROM (
           SELECT sid, prev_v, unnest(range(k_lo, prev_k_hi + 1)) AS k FROM ${numbered}
           WHERE prev_v IS NOT NULL AND ${ieeeCompare('<', 'v', 'prev_v')} AND k_lo <= prev_k_hi
         ) GROUP BY sid, k`,
      )} USING (sid, k)`
    : '';
  // With two samples needed, a first must have its successor in the window and a last its predecessor: sparse
  // series (a sample every few windows) then give no rows for their one-sample windows.
  const pairs = minSamples >= 2;
  const firstFrom = `greatest(k_lo, coalesce(prev_k_hi + 1, k_lo)${pairs ? ', coalesce(next_k_lo, k_hi + 1)' : ''})`;
  const lastTo = `least(k_hi, coalesce(next_k_lo - 1, k_hi)${pairs ? ', coalesce(prev_k_hi, k_lo - 1)' : ''})`;
  const firsts = plan.cte(
    `SELECT sid, unnest(range(${firstFrom}, k_hi + 1)) AS k, st AS first_t, v AS first_v, i AS first_i
     FROM ${numbered} WHERE ${firstFrom} <= k_hi`,
  );
  const lasts = plan.cte(
    `SELECT sid, unnest(range(k_lo, ${lastTo} + 1)) AS k, st AS last_t, v AS last_v, i AS last_i,
       prev_st AS prev_last_t, prev_v AS prev_last_v
     FROM ${numbered} WHERE k_lo <= ${lastTo}`,
  );
  const t = `${sqlBigint(start)} + k * ${sqlBigint(step)}`;
  return plan.cte(
    `SELECT sid, k, ${t} AS t, ${t} - ${sqlBigint(off + source.range)} AS w_lo, ${t} - ${sqlBigint(off)} AS w_hi,
       last_i - first_i + 1 AS n, first_v, first_t, last_v, last_t, ${withCorrections ? 'coalesce(corr, 0.0)' : '0.0::DOUBLE'} AS corr, prev_last_v, prev_last_t
     FROM ${firsts} JOIN ${lasts} USING (sid, k)${corrections}`,
  );
}
