/**
 * The given columns of result rows as numbers (bigint, numeric text from PostgreSQL, number; null as NaN), one
 * array per column.
 * @example numericColumns([{ v: 1 }, { v: 2n }, { v: '3' }], ['v']) // [[1, 2, 3]]
 */
export function numericColumns(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
): number[][] {
  return columns.map((c) =>
    rows.map((row) => {
      const v = row[c];
      return v === null || v === undefined ? Number.NaN : Number(v);
    }),
  );
}
