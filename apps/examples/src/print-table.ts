/**
 * Prints rows as an aligned text table (numbers rounded, dates as ISO).
 * @example printTable('Candles', [{ ts: new Date(0), close: 1.5 }]);
 */
export function printTable(title: string, rows: readonly object[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) {
    console.log('  (no rows)');
    return;
  }
  const columns = Object.keys(rows[0] as object);
  const cells = rows.map((r) => columns.map((c) => format((r as Record<string, unknown>)[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (values: string[]) => `  ${values.map((v, i) => v.padEnd(widths[i] as number)).join('  ')}`;
  console.log(line(columns));
  for (const row of cells) console.log(line(row));
}

function format(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  if (value === null || value === undefined) return '-';
  return String(value);
}
