import type { QueryOptions } from '@duckside/core';
import {
  type CompiledPromql,
  compilePromql,
  type PromqlQueryOptions,
  type PromqlRow,
} from '../compile/compile-promql.ts';
import type { Expr } from '../language/ast.ts';
import { PromqlExecutionError } from '../language/errors.ts';
import { parsePromql } from '../language/parse.ts';
import type { PromqlRunner } from './promql-runner.ts';
import type { Labels, MatrixSeries, PromqlResult, VectorSample } from './result.ts';
import { selectorKeys } from './selector-keys.ts';
import { SeriesCatalog } from './series-catalog.ts';

/** The catalog of a runner that was given none (one per runner object, e.g. per `Database`). */
const defaultCatalogs = new WeakMap<PromqlRunner, SeriesCatalog>();

/** The catalog `evaluatePromql` uses for `runner` when none is given. */
export function defaultCatalog(runner: PromqlRunner): SeriesCatalog {
  let catalog = defaultCatalogs.get(runner);
  if (catalog === undefined) {
    catalog = new SeriesCatalog();
    defaultCatalogs.set(runner, catalog);
  }
  return catalog;
}

/**
 * Evaluates PromQL against a Duckside database: compiles it (or takes a compiled query), runs the SQL and
 * shapes the rows as Prometheus' result types. PromQL text is compiled after one catalog probe: scalar series
 * are matched on the in-memory series catalog (`catalog`, default one per runner) and derived point tables
 * that hold no rows are left out of the statement (less to plan).
 * @throws PromqlError (`bad_data` for invalid/unsupported queries, `execution` for evaluation errors); core's
 * QueryTimeoutError when `timeoutMs` passes.
 * @example const r = await evaluatePromql(db, 'rate(orders_total[5m])', { time: Date.now() });
 */
export async function evaluatePromql(
  runner: PromqlRunner,
  query: string | CompiledPromql,
  options: PromqlQueryOptions & { catalog?: SeriesCatalog } = {},
  run: QueryOptions = {},
): Promise<PromqlResult> {
  const compiled = typeof query === 'string' ? await compileOnCatalog(runner, query, options, run) : query;
  const time = compiled.grid.start;
  if (compiled.resultType === 'string')
    return { resultType: 'string', result: [time, compiled.stringValue ?? ''] };
  const { rows } = await executionErrors(runner.query(compiled, run));
  if (compiled.resultType === 'scalar') {
    if (!compiled.range) return { resultType: 'scalar', result: [time, (rows[0] as PromqlRow).v] };
    return { resultType: 'matrix', result: [{ metric: {}, values: rows.map((r) => [r.t, r.v]) }] };
  }
  if (compiled.resultType === 'vector' && !compiled.range)
    return { resultType: 'vector', result: vectorOf(rows, compiled) };
  return { resultType: 'matrix', result: matrixOf(rows, compiled.resultType === 'vector') };
}

async function compileOnCatalog(
  runner: PromqlRunner,
  text: string,
  { catalog, ...options }: PromqlQueryOptions & { catalog?: SeriesCatalog },
  run: QueryOptions,
): Promise<CompiledPromql> {
  let expr: Expr;
  try {
    expr = parsePromql(text);
  } catch {
    return compilePromql(text, options); // throws the error a compilation gives (grid errors first)
  }
  const snapshot = await (catalog ?? defaultCatalog(runner)).snapshot(runner, run);
  const scalarKeys = await executionErrors(selectorKeys(expr, snapshot, runner, run));
  return compilePromql(
    text,
    { ...options, pointTables: options.pointTables ?? snapshot.pointTables, scalarKeys },
    expr,
  );
}

/** DuckDB's `error()` and invalid input (a regex RE2 refuses) as PromQL `execution` errors. */
function executionErrors<T>(pending: Promise<T>): Promise<T> {
  return pending.catch((error: unknown) => {
    const message = String(
      (error as Error)?.cause instanceof Error ? ((error as Error).cause as Error).message : '',
    );
    const thrown = /Invalid Input Error: (.*)/.exec(message);
    if (thrown) throw new PromqlExecutionError(thrown[1] as string, { cause: error });
    throw error;
  });
}

function labelsOf(row: PromqlRow): Labels {
  const out: Labels = {};
  const k = row.k ?? [];
  const v = row.lv ?? [];
  for (let i = 0; i < k.length; i++) out[k[i] as string] = v[i] as string;
  return out;
}

const keyOf = (row: PromqlRow) => JSON.stringify([row.k, row.lv]);

function vectorOf(rows: PromqlRow[], compiled: CompiledPromql): VectorSample[] {
  const seen = new Set<string>();
  const out: { key: string; sample: VectorSample }[] = [];
  for (const row of rows) {
    const key = keyOf(row);
    if (seen.has(key)) throw new PromqlExecutionError('vector cannot contain metrics with the same labelset');
    seen.add(key);
    out.push({ key, sample: { metric: labelsOf(row), time: row.t, value: row.v } });
  }
  if (compiled.order === 'labels') out.sort((a, b) => compareLabels(a.sample.metric, b.sample.metric));
  else {
    const sign = compiled.order === 'asc' ? 1 : -1;
    out.sort(
      (a, b) =>
        byValue(a.sample.value, b.sample.value, sign) || compareLabels(a.sample.metric, b.sample.metric),
    );
  }
  return out.map((o) => o.sample);
}

function byValue(a: number, b: number, sign: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  return (a - b) * sign;
}

function matrixOf(rows: PromqlRow[], checkDuplicates: boolean): MatrixSeries[] {
  const series = new Map<string, MatrixSeries>();
  for (const row of rows) {
    const key = keyOf(row);
    let s = series.get(key);
    if (!s) {
      s = { metric: labelsOf(row), values: [] };
      series.set(key, s);
    }
    s.values.push([row.t, row.v]);
  }
  const out = [...series.values()].sort((a, b) => compareLabels(a.metric, b.metric));
  for (const s of out) {
    s.values.sort((a, b) => a[0] - b[0]);
    if (!checkDuplicates) continue;
    for (let i = 1; i < s.values.length; i++) {
      if ((s.values[i] as [number, number])[0] === (s.values[i - 1] as [number, number])[0]) {
        throw new PromqlExecutionError('vector cannot contain metrics with the same labelset');
      }
    }
  }
  return out;
}

/** Prometheus' `labels.Compare`: label by label in name order, names then values. */
export function compareLabels(a: Labels, b: Labels): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const na = ka[i] as string;
    const nb = kb[i] as string;
    if (na !== nb) return na < nb ? -1 : 1;
    const va = a[na] as string;
    const vb = b[nb] as string;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return ka.length - kb.length;
}
