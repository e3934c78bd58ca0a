import type { QueryWorkload } from './query-workloads.ts';

/** Row count and the check columns of one result, row by row. */
export interface ResultFigures {
  rows: number;
  /** One array per check column of the workload. */
  columns: number[][];
}

/**
 * Throws when an engine's result of a workload differs from raw DuckDB's: another row count, or a check column
 * value that differs by more than a relative 1e-9 (engines may sum floating-point values in another order).
 * @example assertSameResult(w, 'PostgreSQL', { rows: 1, columns: [[5]] }, { rows: 1, columns: [[5]] }); // passes
 */
export function assertSameResult(
  w: QueryWorkload,
  engine: string,
  actual: ResultFigures,
  expected: ResultFigures,
): void {
  if (actual.rows !== expected.rows) {
    throw new Error(`${w.id}: ${engine} returned ${actual.rows} rows, raw DuckDB ${expected.rows}`);
  }
  actual.columns.forEach((values, c) => {
    const want = expected.columns[c] ?? [];
    values.forEach((v, r) => {
      const e = want[r] ?? Number.NaN;
      const same = (Number.isNaN(v) && Number.isNaN(e)) || Math.abs(v - e) <= 1e-9 * Math.max(1, Math.abs(e));
      if (!same) throw new Error(`${w.id}: ${engine} has ${w.check[c]} = ${v} in row ${r}, raw DuckDB ${e}`);
    });
  });
}
