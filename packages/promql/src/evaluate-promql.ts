import type { CompiledQuery, QueryOptions, QueryResult } from '@duckside/core';
import type { PointTables } from './compile/samples.ts';
import {
  type CompiledPromql,
  compilePromql,
  type PromqlQueryOptions,
  type PromqlRow,
} from './compile-promql.ts';
import { PromqlExecutionError } from './errors.ts';
import type { Labels, MatrixSeries, PromqlResult, VectorSample } from './result.ts';

/** What runs compiled SQL against core: a `Database` (its `query` method) or anything shaped like it. */
export interface PromqlRunner {
  query<R>(query: CompiledQuery<R>, options?: QueryOptions): Promise<QueryResult<R>>;
}

/**
 * Evaluates PromQL against a Duckside database: compiles it (or takes a compiled query), runs the one SQL
 * statement and shapes the rows as Prometheus' result types. PromQL text is compiled after a probe of which
 * derived point tables hold rows (empty ones are left out of the statement: less to plan).
 * @throws PromqlError (`bad_data` for invalid/unsupported queries, `execution` for evaluation errors); core's
 * QueryTimeoutError when `timeoutMs` passes.
 * @example const r = await evaluatePromql(db, 'rate(orders_total[5m])', { time: Date.now() });
 */
export async function evaluatePromql(
  runner: PromqlRunner,
  query: string | CompiledPromql,
  options: PromqlQueryOptions = {},
  run: QueryOptions = {},
): Promise<PromqlResult> {
  const compiled =
    typeof query === 'string'
      ? compilePromql(query, {
          ...options,
          pointTables: options.pointTables ?? (await pointTables(runner, run)),
        })
      : query;
  const time = compiled.grid.start;
  if (compiled.resultType === 'string')
    return { resultType: 'string', result: [time, compiled.stringValue ?? ''] };
  const { rows } = await runner.query(compiled, run).catch((error: unknown) => {
    const message = String(
      (error as Error)?.cause instanceof Error ? ((error as Error).cause as Error).message : '',
    );
    const thrown = /Invalid Input Error: (.*)/.exec(message);
    if (thrown) throw new PromqlExecutionError(thrown[1] as string, { cause: error });
    throw error;
  });
  if (compiled.resultType === 'scalar') {
    if (!compiled.range) return { resultType: 'scalar', result: [time, (rows[0] as PromqlRow).v] };
    return { resultType: 'matrix', result: [{ metric: {}, values: rows.map((r) => [r.t, r.v]) }] };
  }
  if (compiled.resultType === 'vector' && !compiled.range)
    return { resultType: 'vector', result: vectorOf(rows, compiled) };
  return { resultType: 'matrix', result: matrixOf(rows, compiled.resultType === 'vector') };
}

/** Whether the histogram and summary point tables hold rows: one probe, so that an empty one is not planned. */
const POINT_TABLES_PROBE: CompiledQuery<{ histograms: boolean; summaries: boolean }> = Object.freeze({
  sql: `SELECT EXISTS (SELECT 1 FROM histogram_points) AS histograms,
    EXISTS (SELECT 1 FROM summary_points) AS summaries`,
  params: Object.freeze([]),
});

async function pointTables(runner: PromqlRunner, run: QueryOptions): Promise<PointTables> {
  const { rows } = await runner.query(POINT_TABLES_PROBE, run);
  return { histograms: rows[0]?.histograms ?? true, summaries: rows[0]?.summaries ?? true };
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
