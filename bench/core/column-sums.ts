/**
 * Sums of the given columns over result rows; bigint, numeric text (PostgreSQL) and number values all count.
 * @example columnSums([{ v: 1 }, { v: 2n }, { v: '3' }], ['v']) // [6]
 */
export function columnSums(rows: readonly Record<string, unknown>[], columns: readonly string[]): number[] {
  return columns.map((c) => {
    let sum = 0;
    for (const row of rows) {
      const v = row[c];
      if (v !== null && v !== undefined) sum += Number(v);
    }
    return sum;
  });
}
