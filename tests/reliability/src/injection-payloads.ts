/** Files an injection that escaped would create; the scenario checks none exists afterwards. */
export const PWNED_PREFIX = '/tmp/duckside-pwned';

const BASE: readonly string[] = [
  "'",
  '"',
  '`',
  "' OR '1'='1",
  "' OR 1=1 --",
  '" OR 1=1 --',
  "') OR ('1'='1",
  '1) OR (1=1',
  "'; DROP TABLE trading_metrics; --",
  '1; DROP TABLE trading_metrics',
  "'); DELETE FROM trading_trades; --",
  "'; UPDATE trading_candles SET close = 0; --",
  "'; INSERT INTO system_events (severity, source, message) VALUES ('critical', 'x', 'pwned'); --",
  "' UNION SELECT * FROM duckside_migrations --",
  "' UNION ALL SELECT NULL, version() --",
  "x' AND (SELECT count(*) FROM trading_metrics) > 0 --",
  "%' OR '%'='",
  "\\'; --",
  "''",
  "'''",
  '/**/',
  '--',
  '#',
  ';',
  `'; ATTACH '${PWNED_PREFIX}.db' AS p; --`,
  `'; COPY trading_metrics TO '${PWNED_PREFIX}.csv'; --`,
  `'; EXPORT DATABASE '${PWNED_PREFIX}-dir'; --`,
  "' || (SELECT content FROM read_text('/etc/passwd')) || '",
  "read_csv('/etc/passwd')",
  "'; INSTALL httpfs; LOAD httpfs; --",
  "'; SET enable_external_access = true; --",
  "'; PRAGMA database_list; --",
  "'; CALL pragma_version(); --",
  "'; CREATE TABLE pwned (x INT); --",
  "'; DETACH main; --",
  "'; CHECKPOINT; --",
  "getenv('HOME')",
  '$1',
  '$2',
  '?',
  ':name',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal template-injection payload
  '${x}',
  '{{7*7}}',
  '1::VARCHAR',
  'CAST(1 AS INT)',
  '"x"',
  'x"; DROP TABLE trading_metrics; --',
  'x") FROM trading_metrics; --',
  '*',
  'trading_metrics.value',
  '$.k',
  '$..*',
  "$.k') OR 1=1 --",
  'k[0]',
  '1e999',
  '-1',
  '0x7fffffff',
  '99999999999999999999',
  'NaN',
  'NULL',
  'true',
  'now()',
  'current_timestamp',
  "interval '1 day'",
  "1 second'); DROP TABLE trading_trades; --",
  "2025-01-01'); DROP TABLE trading_trades; --",
  '9999-12-31T23:59:59Z',
  '0001-01-01',
  '\u0000',
  '\n',
  '\r\n',
  '\u202e',
  '\u2019 OR 1=1 --',
  '\ud83d\ude00',
  '%00',
  '%27',
  '%2527',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '{"$gt":""}',
  '[]',
  '{}',
  'A'.repeat(3000),
];

const VARIANTS: ReadonlyArray<(p: string) => string> = [
  (p) => p,
  (p) => ` ${p}`,
  (p) => `${p} `,
  (p) => p.toUpperCase(),
  (p) => `x${p}`,
  (p) => `BTC/USD${p}`,
  (p) => encodeURIComponent(p),
];

/**
 * At least `count` distinct injection payloads: classic SQL injection, DuckDB-specific file and extension access
 * (`ATTACH`, `COPY`, `read_text`, `INSTALL`), identifier and JSON-path breakouts, placeholders, extreme numbers
 * and times, control and bidi characters, each in several spellings.
 * @example for (const p of injectionPayloads(500)) await get(`/api/v1/trades?symbol=${encodeURIComponent(p)}`);
 */
export function injectionPayloads(count = 500): string[] {
  const out = new Set<string>();
  for (const variant of VARIANTS) {
    for (const base of BASE) {
      out.add(variant(base));
      if (out.size >= count) return [...out];
    }
  }
  return [...out];
}
