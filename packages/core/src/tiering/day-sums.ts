import type { DuckDBConnection } from '@duckdb/node-api';

/** Figures of one day's rows that a written file must reproduce: count, time sum, per-column sums and hashes. */
export interface DaySums {
  rows: number;
  /** Exact figures (`count`, `sum(epoch_us(ts))`, `sum(hash(col))`) as text. */
  exact: readonly string[];
  /** `sum(col)` of each checked column (compared with a relative tolerance: the order of additions differs). */
  approximate: readonly (number | null)[];
}

/**
 * The sums of the rows of `from` (a table, view or subquery) matching `where`.
 * @example await daySums(c, 'main.trading_trades', dayCondition('2024-01-31'), ['price'])
 */
export async function daySums(
  connection: DuckDBConnection,
  from: string,
  where: string,
  columns: readonly string[],
): Promise<DaySums> {
  const exact = ['count(*)', 'sum(epoch_us(ts))', ...columns.map((c) => `sum(hash(${c}))`)];
  const approximate = columns.map((c) => `sum(${c})::DOUBLE`);
  const reader = await connection.runAndReadAll(
    `SELECT ${[...exact.map((e) => `coalesce(${e}, 0)::VARCHAR`), ...approximate].join(', ')} FROM ${from} WHERE ${where}`,
  );
  const row = reader.getRowsJS()[0] ?? [];
  const texts = row.slice(0, exact.length).map(String);
  return {
    rows: Number(texts[0] ?? 0),
    exact: texts,
    approximate: row.slice(exact.length).map((v) => (v === null ? null : Number(v))),
  };
}

/**
 * Whether two sets of sums agree: exact figures equal, approximate ones within 1e-9 relative.
 * @example sameSums(await daySums(c, hot, day, cols), await daySums(c, file, day, cols))
 */
export function sameSums(a: DaySums, b: DaySums): boolean {
  if (a.exact.length !== b.exact.length || a.exact.some((v, i) => v !== b.exact[i])) return false;
  return a.approximate.every((v, i) => {
    const w = b.approximate[i];
    if (v === null || w === null || w === undefined) return v === w || (v ?? 0) === (w ?? 0);
    return Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(v), Math.abs(w));
  });
}
