/**
 * Formats rows as a plain-text table with a header rule; a row whose first cell repeats the previous row's
 * shows it blank, so each scenario's name appears once.
 * @example formatTable(['a', 'b'], [['1', 'x'], ['1', 'y']]);
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const shown = rows.map((row, i) => (i > 0 && row[0] === rows[i - 1]?.[0] ? ['', ...row.slice(1)] : row));
  const widths = header.map((h, c) => Math.max(h.length, ...shown.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [line(header), rule, ...shown.map(line)].join('\n');
}
