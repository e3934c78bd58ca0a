/**
 * A JavaScript RegExp for an RE2 pattern (Prometheus' and DuckDB's syntax), fully anchored as Prometheus
 * anchors matchers, for checks done while compiling (does it match ''? how many groups?). Leading inline
 * flags `(?i)`, `(?s)`, `(?m)` become RegExp flags and `(?P<name>` becomes `(?<name>`; undefined when
 * JavaScript cannot read the pattern (the database, which speaks RE2, then judges it).
 * @example anchoredRegExp('(?i)api|web')?.test('API') // true
 */
export function anchoredRegExp(pattern: string): RegExp | undefined {
  const flags = /^\(\?([ims]+)\)/.exec(pattern);
  const body = (flags ? pattern.slice(flags[0].length) : pattern).replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(`^(?:${body})$`, `u${flags?.[1] ?? ''}`);
  } catch {
    return undefined;
  }
}
