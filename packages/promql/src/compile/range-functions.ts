import { UnsupportedPromqlError } from '../language/errors.ts';
import { sqlBigint, sqlDouble } from '../sql/sql-text.ts';
import { ieeeCompare, maxIgnoringNaN } from './float-sql.ts';
import { dropLabels } from './label-sql.ts';
import type { Grid, SqlPlan } from './plan.ts';
import { type RangeSource, windowRows } from './range-window.ts';
import { type KeyedVector, keyedRowsSql } from './values.ts';
import { EDGE_AGGREGATES, windowEdges } from './window-edges.ts';

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
  const toStart = '((first_t - w_lo) / 1000.0)';
  const toEnd = '((w_hi - last_t) / 1000.0)';
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

/** Functions of windows of two samples and more: their value over the window aggregates. */
const TWO_SAMPLE_VALUES: Readonly<Record<string, (rangeMs: number, param: number | undefined) => string>> = {
  rate: (rangeMs) => extrapolated(true, true, rangeMs),
  increase: (rangeMs) => extrapolated(true, false, rangeMs),
  delta: (rangeMs) => extrapolated(false, false, rangeMs),
  irate: () =>
    `(CASE WHEN ${ieeeCompare('<', 'last_v', 'prev_last_v')} THEN last_v ELSE last_v - prev_last_v END) / ((last_t - prev_last_t) / 1000.0)`,
  idelta: () => '(last_v - prev_last_v)',
  deriv: () => 'slope',
  predict_linear: (_rangeMs, param) => `(intercept + slope * ${sqlDouble(param as number)})`,
};

/** Functions of windows of one sample and more whose value is one window aggregate. */
const ONE_SAMPLE_VALUES: Readonly<Record<string, string>> = {
  resets: 'resets::DOUBLE',
  changes: 'changes::DOUBLE',
  avg_over_time: 'avg_v',
  sum_over_time: 'sum_v',
  min_over_time: 'min_v',
  max_over_time: 'max_v',
  count_over_time: 'n::DOUBLE',
  last_over_time: 'last_v',
  stddev_over_time: 'stddev_v',
  stdvar_over_time: 'var_v',
  present_over_time: '1.0::DOUBLE',
};

/** `quantile_over_time`'s value: Prometheus answers NaN for a NaN quantile and ±Inf outside [0, 1]. */
function quantileValue(q: number): string {
  if (Number.isNaN(q)) return "'NaN'::DOUBLE";
  if (q < 0) return "'-Infinity'::DOUBLE";
  if (q > 1) return "'Infinity'::DOUBLE";
  return 'quantile_v';
}

/** The range-vector functions of Prometheus 2.42 that Duckside evaluates. */
export const RANGE_FUNCTIONS: ReadonlySet<string> = new Set([
  ...Object.keys(TWO_SAMPLE_VALUES),
  ...Object.keys(ONE_SAMPLE_VALUES),
  'quantile_over_time',
]);

/** Per function: the value from the window aggregates, and the minimum sample count. */
function functionValue(
  func: string,
  rangeMs: number,
  param: number | undefined,
): { value: string; minSamples: number } {
  if (Object.hasOwn(TWO_SAMPLE_VALUES, func)) {
    return { value: TWO_SAMPLE_VALUES[func]!(rangeMs, param), minSamples: 2 };
  }
  if (Object.hasOwn(ONE_SAMPLE_VALUES, func)) return { value: ONE_SAMPLE_VALUES[func]!, minSamples: 1 };
  if (func === 'quantile_over_time') return { value: quantileValue(param as number), minSamples: 1 };
  throw new UnsupportedPromqlError(`function "${func}"`);
}

/** Aggregates of one window, by the name the value expressions use. */
function windowAggregates(q: number): Readonly<Record<string, string>> {
  return {
    n: 'count(*)',
    first_v: 'arg_min(v, st)',
    last_v: 'arg_max(v, st)',
    first_t: 'min(st)',
    last_t: 'max(st)',
    prev_last_v: 'arg_max(prev_v, st)',
    prev_last_t: 'arg_max(prev_st, st)',
    corr: `coalesce(sum(prev_v) FILTER (WHERE ${isReset}), 0)`,
    resets: `count(*) FILTER (WHERE ${isReset})`,
    changes: `count(*) FILTER (WHERE ${pairInWindow} AND v <> prev_v)`,
    avg_v: 'avg(v)',
    sum_v: 'sum(v)',
    min_v: 'min(v)',
    max_v: maxIgnoringNaN('v'),
    stddev_v: 'stddev_pop(v)',
    var_v: 'var_pop(v)',
    quantile_v: `quantile_cont(v, ${sqlDouble(q)})`,
    // Least squares over (seconds from the step time, value): Prometheus' linearRegression at interceptTime = t.
    slope: 'regr_slope(v, (st - t) / 1000.0)',
    intercept: 'regr_intercept(v, (st - t) / 1000.0)',
  };
}

/**
 * A range-vector function over its source, for every step of `grid`: a vector `(labels, t, v)` and its keyed
 * form (labels once per series). `param` is the
 * literal number argument of `quantile_over_time` or `predict_linear`. Every function but `last_over_time` drops `__name__`. Only
 * the aggregates the function reads are computed, and sample predecessors only when it reads them.
 * @example rangeFunction(plan, 'rate', { samples: 'q3', series: 'q4', range: 300_000, offset: 0 }, grid)
 */
export function rangeFunction(
  plan: SqlPlan,
  func: string,
  source: RangeSource,
  grid: Grid,
  param?: number,
): { cte: string; keyed: KeyedVector } {
  const { value, minSamples } = functionValue(func, source.range, param);
  const q = param !== undefined && param >= 0 && param <= 1 ? param : 0.5;
  const all = windowAggregates(q);
  const used = Object.keys(all).filter((name) => name === 'n' || new RegExp(`\\b${name}\\b`).test(value));
  const needsPrev = used.some((name) => /^(prev_last_v|prev_last_t|corr|resets|changes)$/.test(name));
  let values: string;
  if (used.every((name) => EDGE_AGGREGATES.has(name))) {
    // Read from each window's first and last samples: no row per sample and window.
    values = plan.cte(
      `SELECT sid, t, ${value} AS v FROM ${windowEdges(plan, source, grid, used.includes('corr'), minSamples)} WHERE n >= ${minSamples}`,
    );
  } else {
    const rows = windowRows(plan, source, grid, needsPrev);
    const windowEnd = `t - ${sqlBigint(source.offset)}`;
    values = plan.cte(
      `SELECT sid, t, ${value} AS v FROM (
         SELECT sid, t, ${windowEnd} - ${sqlBigint(source.range)} AS w_lo, ${windowEnd} AS w_hi,
           ${used.map((name) => `${all[name]} AS ${name}`).join(', ')}
         FROM ${rows} GROUP BY sid, k, t
       ) WHERE n >= ${minSamples}`,
    );
  }
  // Labels once per series (not per row): every function but last_over_time drops __name__.
  const series =
    func === 'last_over_time'
      ? source.series
      : plan.cte(`SELECT sid, ${dropLabels(plan, 'labels', [], true)} AS labels FROM ${source.series}`);
  const keyed = { values, series };
  return { cte: plan.cte(keyedRowsSql(keyed)), keyed };
}
