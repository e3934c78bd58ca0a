import { sqlBigint } from '../sql/sql-text.ts';
import type { Grid, SqlPlan } from './plan.ts';
import { gridSteps } from './plan.ts';

/**
 * Samples a range function reads (`samples (sid, st, v, stale)`, `series (sid, labels)`); the window for step
 * t is [t - offset - range, t - offset].
 */
export interface RangeSource {
  samples: string;
  series: string;
  range: number;
  offset: number;
}

/**
 * Assigns every (non-stale) sample to each step whose window holds it (both ends included, as in Prometheus
 * 2.42), with its predecessor in the series: a relation `(sid, k, t, wlo, st, v, prev_st, prev_v)` (labels stay out: they are
 * joined back per series after aggregating)
 * (predecessors NULL unless `withPrev`).
 * Set-based: a sample appears once per window it is in (range/step times).
 * @example windowRows(plan, { samples: 'q1', series: 'q2', range: 300_000, offset: 0 }, grid)
 */
export function windowRows(plan: SqlPlan, source: RangeSource, grid: Grid, withPrev = true): string {
  const { start, step } = grid;
  const last = gridSteps(grid) - 1;
  const off = source.offset;
  const kLo = `greatest(0, ceil((st + ${sqlBigint(off)} - ${sqlBigint(start)})::DOUBLE / ${step})::BIGINT)`;
  const kHi = `least(${last}, floor((st + ${sqlBigint(off + source.range)} - ${sqlBigint(start)})::DOUBLE / ${step})::BIGINT)`;
  const prev = withPrev
    ? 'lag(st) OVER w AS prev_st, lag(v) OVER w AS prev_v'
    : 'NULL::BIGINT AS prev_st, NULL::DOUBLE AS prev_v';
  const spans = `SELECT sid, st, v, ${prev}, ${kLo} AS k_lo, ${kHi} AS k_hi
         FROM ${source.samples} WHERE NOT stale${withPrev ? ' WINDOW w AS (PARTITION BY sid ORDER BY st)' : ''}`;
  return plan.cte(
    `SELECT sid, k, ${sqlBigint(start)} + k * ${sqlBigint(step)} AS t,
       ${sqlBigint(start)} + k * ${sqlBigint(step)} - ${sqlBigint(off + source.range)} AS wlo, st, v, prev_st, prev_v
     FROM (${fanOut(plan, spans, windowsPerSample(source.range, grid))})`,
  );
}

/** Most windows one sample can be in: one per step the range spans, plus one when it ends on a step. */
function windowsPerSample(range: number, grid: Grid): number {
  return Math.min(gridSteps(grid), Math.floor(range / grid.step) + 1);
}

/** Fan-outs up to this many windows are unions of shifted copies; wider ones unnest a list per sample. */
const MAX_UNION_FAN_OUT = 8;

/**
 * Every row of `spans` (with `k_lo`, `k_hi`) once per step `k` in [k_lo, k_hi]. Narrow fan-outs (at most
 * `MAX_UNION_FAN_OUT`, e.g. `[1h]` at a 1 h step) are a union of `k_lo + j` copies, which DuckDB runs several
 * times faster than unnesting a `range()` list per row.
 */
function fanOut(plan: SqlPlan, spans: string, most: number): string {
  if (most > MAX_UNION_FAN_OUT) {
    return `SELECT *, unnest(range(k_lo, k_hi + 1)) AS k FROM (${spans}) WHERE k_lo <= k_hi`;
  }
  const rows = plan.cte(spans);
  return Array.from(
    { length: most },
    (_, j) => `SELECT *, k_lo + ${j} AS k FROM ${rows} WHERE k_lo + ${j} <= k_hi`,
  ).join(' UNION ALL ');
}
