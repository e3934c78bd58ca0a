import type { QueryWorkload } from './query-workloads.ts';

/** Row count and check-column sums of one result. */
export interface ResultFigures {
  rows: number;
  sums: number[];
}

/**
 * Throws when an engine's result of a workload differs from raw DuckDB's in row count or in a check column's
 * sum (relative tolerance 1e-6, since engines sum in different orders).
 * @example assertSameResult(w, 'PostgreSQL', { rows: 10, sums: [5] }, { rows: 10, sums: [5] }); // passes
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
  actual.sums.forEach((s, i) => {
    const e = expected.sums[i]!;
    if (Math.abs(s - e) > 1e-6 * Math.max(1, Math.abs(e))) {
      throw new Error(`${w.id}: ${engine} sum of ${w.check[i]} is ${s}, raw DuckDB ${e}`);
    }
  });
}
