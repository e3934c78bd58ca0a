/**
 * A matcher of names against globs: `*` is any run of characters, `?` one character, everything else literal;
 * a glob matches the whole name.
 * @example globMatcher(['http_*', 'order_latency?']).test('http_requests_total') // true
 */
export function globMatcher(globs: readonly string[]): RegExp {
  const alternatives = globs.map((g) =>
    g
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.'),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`, 's');
}
