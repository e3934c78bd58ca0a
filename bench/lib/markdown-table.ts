/**
 * Renders a Markdown table; columns whose header starts with `>` are right-aligned (the `>` is dropped).
 * @example markdownTable(['Workload', '>ms'], [['filter', '3.1']])
 * // | Workload | ms |\n|---|---:|\n| filter | 3.1 |
 */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const names = headers.map((h) => (h.startsWith('>') ? h.slice(1) : h));
  const align = headers.map((h) => (h.startsWith('>') ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(names), `|${align.join('|')}|`, ...rows.map(line)].join('\n');
}
