import type { CompiledQuery, SqlParam } from '@duckside/core';
import type { Expr } from '../language/ast.ts';
import { PromqlParseError } from '../language/errors.ts';
import { parsePromql } from '../language/parse.ts';
import { Compiler } from './compiler.ts';
import { type Grid, type ScalarKeyLookup, SqlPlan } from './plan.ts';
import { ALL_POINT_TABLES, type PointTables } from './point-tables.ts';

/** When and how to evaluate: `time` for an instant query, or `start`/`end`/`step` for a range query (all ms). */
export interface PromqlQueryOptions {
  /** Instant query evaluation time, unix ms. */
  time?: number;
  /** Range query start, unix ms. */
  start?: number;
  /** Range query end, unix ms (inclusive when on the step grid). */
  end?: number;
  /** Range query step, ms (> 0). */
  step?: number;
  /** How far back an instant selector looks for a sample (Prometheus' lookback delta; default 5 minutes). */
  lookbackMs?: number;
  /** Step of subqueries written without one (Prometheus' global evaluation interval; default 1 minute). */
  subqueryStepMs?: number;
  /** Derived point tables that may hold rows (default: all); `evaluatePromql` finds out before compiling. */
  pointTables?: PointTables;
  /** Scalar series matched on the catalog by selector (`evaluatePromql` does it); absent: matched in SQL. */
  scalarKeys?: ScalarKeyLookup;
}

/** One row of a compiled PromQL query: label names and values (parallel), step time (ms), value. */
export interface PromqlRow {
  k: string[] | null;
  lv: string[] | null;
  t: number;
  v: number;
}

/** A PromQL query compiled to one DuckDB statement, with what is needed to shape its rows. */
export interface CompiledPromql extends CompiledQuery<PromqlRow> {
  readonly resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  /** True for a range query (the result is a matrix of the steps). */
  readonly range: boolean;
  readonly grid: Grid;
  /** The value of a string expression (no rows are read then). */
  readonly stringValue: string | undefined;
  /** Order of an instant vector result: by labels, or by value for `sort`/`sort_desc`. */
  readonly order: 'labels' | 'asc' | 'desc';
}

/** Default lookback delta (Prometheus' `--query.lookback-delta`). */
export const DEFAULT_LOOKBACK_MS = 300_000;
/** Default step of subqueries without one (Prometheus' default `evaluation_interval`). */
export const DEFAULT_SUBQUERY_STEP_MS = 60_000;

/**
 * Compiles PromQL text to one DuckDB statement over core's metric tables (`metric_series` and the points
 * tables), evaluated set-based on the query's step grid.
 * `parsed` is the tree of `text` when the caller already parsed it (the tree `scalarKeys` refers to).
 * @throws PromqlParseError for invalid PromQL; UnsupportedPromqlError naming a construct Duckside lacks.
 * @example const q = compilePromql('sum by (job) (rate(http_requests_total[5m]))', { start, end, step: 60_000 });
 */
export function compilePromql(text: string, options: PromqlQueryOptions, parsed?: Expr): CompiledPromql {
  const grid = gridOf(options);
  const expr = parsed ?? parsePromql(text);
  const plan = new SqlPlan();
  const compiler = new Compiler(plan, {
    lookbackMs: options.lookbackMs ?? DEFAULT_LOOKBACK_MS,
    subqueryStepMs: options.subqueryStepMs ?? DEFAULT_SUBQUERY_STEP_MS,
    queryStart: grid.start,
    queryEnd: grid.end,
    tables: options.pointTables ?? ALL_POINT_TABLES,
    scalarKeys: options.scalarKeys,
  });
  const value = compiler.compile(expr, grid);
  const range = options.time === undefined;
  if (range && (value.type === 'matrix' || value.type === 'string')) {
    const name = value.type === 'matrix' ? 'range vector' : 'string';
    throw new PromqlParseError(
      `invalid expression type "${name}" for range query, must be Scalar or instant Vector`,
    );
  }
  const order = topOrder(expr);
  let sql: string;
  switch (value.type) {
    case 'vector':
      sql = plan.sql(`SELECT map_keys(labels) AS k, map_values(labels) AS lv, t, v FROM ${value.cte}`);
      break;
    case 'matrix':
      sql = plan.sql(
        `SELECT map_keys(labels) AS k, map_values(labels) AS lv, st AS t, v FROM ${value.cte} ORDER BY st`,
      );
      break;
    case 'scalar':
      sql = plan.sql(`SELECT NULL::VARCHAR[] AS k, NULL::VARCHAR[] AS lv, t, v FROM ${value.cte} ORDER BY t`);
      break;
    case 'string':
      sql =
        'SELECT NULL::VARCHAR[] AS k, NULL::VARCHAR[] AS lv, 0::BIGINT AS t, 0.0::DOUBLE AS v WHERE FALSE';
      break;
  }
  return Object.freeze({
    sql,
    params: Object.freeze([...plan.params]) as readonly SqlParam[],
    resultType: value.type,
    range,
    grid,
    stringValue: value.type === 'string' ? value.value : undefined,
    order,
  });
}

function gridOf(o: PromqlQueryOptions): Grid {
  if (o.time !== undefined) {
    if (!Number.isFinite(o.time)) throw new PromqlParseError('invalid evaluation time');
    const t = Math.round(o.time);
    return { start: t, end: t, step: 1 };
  }
  const { start, end, step } = o;
  if (start === undefined || end === undefined || step === undefined) {
    throw new PromqlParseError('give either time, or start, end and step');
  }
  if (!(step > 0))
    throw new PromqlParseError(
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  if (end < start) throw new PromqlParseError('end timestamp must not be before start time');
  if ((end - start) / step > 11_000) {
    throw new PromqlParseError(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  return { start: Math.round(start), end: Math.round(end), step: Math.round(step) };
}

function topOrder(expr: Expr): CompiledPromql['order'] {
  let e = expr;
  while (e.type === 'paren') e = e.expr;
  if (e.type === 'call' && e.func === 'sort') return 'asc';
  if (e.type === 'call' && e.func === 'sort_desc') return 'desc';
  return 'labels';
}
