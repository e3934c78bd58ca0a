import { UnsupportedPromqlError } from '../errors.ts';
import { sqlDouble } from '../sql-text.ts';
import { ieeeCompare, maxIgnoringNaN } from './float-sql.ts';
import { dropLabels } from './label-sql.ts';
import type { Grid, SqlPlan } from './plan.ts';
import { type RangeSource, windowRows } from './range-window.ts';

/** The range-vector functions of Prometheus 2.42 that Duckside evaluates. */
export const RANGE_FUNCTIONS = new Set([
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'resets',
  'changes',
  'avg_over_time',
  'sum_over_time',
  'min_over_time',
  'max_over_time',
  'count_over_time',
  'last_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'quantile_over_time',
  'present_over_time',
]);

const pairInWindow = 'prev_st >= wlo';
const isReset = `${pairInWindow} AND ${ieeeCompare('<', 'v', 'prev_v')}`;

/**
 * Prometheus 2.42's `extrapolatedRate` over the aggregates of one window: the increase (with counter resets
 * added back for counters), extrapolated to the window's ends unless the first/last sample is further than
 * 1.1 average intervals away (then by half an interval), never below zero for counters.
 */
function extrapolated(isCounter: boolean, isRate: boolean, rangeMs: number): string {
  const result = isCounter ? '(last_v - first_v + corr)' : '(last_v - first_v)';
  const sampled = '((last_t - first_t) / 1000.0)';
  const average = `(${sampled} / (n - 1))`;
  const toStart = '((first_t - wlo) / 1000.0)';
  const toEnd = '((whi - last_t) / 1000.0)';
  const toZero = `(${sampled} * (first_v / ${result}))`;
  const start = isCounter
    ? `(CASE WHEN ${ieeeCompare('>', result, '0')} AND ${ieeeCompare('>=', 'first_v', '0')} AND ${ieeeCompare('<', toZero, toStart)} THEN ${toZero} ELSE ${toStart} END)`
    : toStart;
  const threshold = `(${average} * 1.1)`;
  const interval = `(${sampled} + (CASE WHEN ${start} < ${threshold} THEN ${start} ELSE ${average} / 2 END) + (CASE WHEN ${toEnd} < ${threshold} THEN ${toEnd} ELSE ${average} / 2 END))`;
  const factor = isRate
    ? `((${interval} / ${sampled}) / ${sqlDouble(rangeMs / 1000)})`
    : `(${interval} / ${sampled})`;
  return `(${result} * ${factor})`;
}

/** Per-function: the value from the window aggregates, and the minimum sample count. */
function functionValue(
  func: string,
  rangeMs: number,
  param: number | undefined,
): { value: string; minSamples: number } {
  switch (func) {
    case 'rate':
      return { value: extrapolated(true, true, rangeMs), minSamples: 2 };
    case 'increase':
      return { value: extrapolated(true, false, rangeMs), minSamples: 2 };
    case 'delta':
      return { value: extrapolated(false, false, rangeMs), minSamples: 2 };
    case 'irate':
      return {
        value: `(CASE WHEN ${ieeeCompare('<', 'last_v', 'prev_last_v')} THEN last_v ELSE last_v - prev_last_v END) / ((last_t - prev_last_t) / 1000.0)`,
        minSamples: 2,
      };
    case 'idelta':
      return { value: '(last_v - prev_last_v)', minSamples: 2 };
    case 'resets':
      return { value: 'resets::DOUBLE', minSamples: 1 };
    case 'changes':
      return { value: 'changes::DOUBLE', minSamples: 1 };
    case 'avg_over_time':
      return { value: 'avg_v', minSamples: 1 };
    case 'sum_over_time':
      return { value: 'sum_v', minSamples: 1 };
    case 'min_over_time':
      return { value: 'min_v', minSamples: 1 };
    case 'max_over_time':
      return { value: 'max_v', minSamples: 1 };
    case 'count_over_time':
      return { value: 'n::DOUBLE', minSamples: 1 };
    case 'last_over_time':
      return { value: 'last_v', minSamples: 1 };
    case 'stddev_over_time':
      return { value: 'stddev_v', minSamples: 1 };
    case 'stdvar_over_time':
      return { value: 'var_v', minSamples: 1 };
    case 'present_over_time':
      return { value: '1.0::DOUBLE', minSamples: 1 };
    case 'quantile_over_time': {
      const q = param as number;
      if (Number.isNaN(q)) return { value: "'NaN'::DOUBLE", minSamples: 1 };
      if (q < 0) return { value: "'-Infinity'::DOUBLE", minSamples: 1 };
      if (q > 1) return { value: "'Infinity'::DOUBLE", minSamples: 1 };
      return { value: 'quantile_v', minSamples: 1 };
    }
    default:
      throw new UnsupportedPromqlError(`function "${func}"`);
  }
}

/**
 * A range-vector function over its source, for every step of `grid`: a vector `(labels, t, v)`. `param` is the
 * literal first argument of `quantile_over_time`. Every function but `last_over_time` drops `__name__`.
 * @example rangeFunction(plan, 'rate', { samples: 'q3', range: 300_000, offset: 0 }, grid)
 */
export function rangeFunction(
  plan: SqlPlan,
  func: string,
  source: RangeSource,
  grid: Grid,
  param?: number,
): string {
  const { value, minSamples } = functionValue(func, source.range, param);
  const rows = windowRows(plan, source, grid);
  const q = param !== undefined && param >= 0 && param <= 1 ? param : 0.5;
  const labels = func === 'last_over_time' ? 'labels' : dropLabels(plan, 'labels', [], true);
  return plan.cte(
    `SELECT ${labels} AS labels, t, ${value} AS v FROM (
       SELECT labels, t, any_value(wlo) AS wlo, any_value(whi) AS whi, count(*) AS n,
         arg_min(v, st) AS first_v, arg_max(v, st) AS last_v, min(st) AS first_t, max(st) AS last_t,
         arg_max(prev_v, st) AS prev_last_v, arg_max(prev_st, st) AS prev_last_t,
         coalesce(sum(prev_v) FILTER (WHERE ${isReset}), 0) AS corr,
         count(*) FILTER (WHERE ${isReset}) AS resets,
         count(*) FILTER (WHERE ${pairInWindow} AND v <> prev_v) AS changes,
         avg(v) AS avg_v, sum(v) AS sum_v, min(v) AS min_v, ${maxIgnoringNaN('v')} AS max_v,
         stddev_pop(v) AS stddev_v, var_pop(v) AS var_v, quantile_cont(v, ${sqlDouble(q)}) AS quantile_v
       FROM ${rows} GROUP BY labels, k, t
     ) WHERE n >= ${minSamples}`,
  );
}
