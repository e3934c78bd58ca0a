import type { CompiledQuery, QueryOptions } from '@duckside/core';
import type { ScalarKey } from '../compile/scalar-key.ts';
import type { Matcher } from '../language/ast.ts';
import type { PromqlRunner } from './promql-runner.ts';
import type { CatalogSeries, CatalogSnapshot } from './series-catalog.ts';

/** Every (kind, monotonic) pair a scalar point can have, as `SCALAR_SHAPES` in samples.ts. */
const SHAPES: readonly { kind: 1 | 2; monotonic: boolean }[] = [
  { kind: 1, monotonic: false },
  { kind: 1, monotonic: true },
  { kind: 2, monotonic: false },
  { kind: 2, monotonic: true },
];

/** The `__name__` of a scalar series (as `scalarMetricNameSql`): `_total` for monotonic sums, `_ratio` for unit-1 gauges. */
function scalarName(s: CatalogSeries, kind: 1 | 2, monotonic: boolean): string {
  if (kind === 2 && monotonic && !s.base.endsWith('_total')) return `${s.base}_total`;
  if (kind === 1 && s.bareUnit === '1' && !s.base.endsWith('_ratio')) return `${s.base}_ratio`;
  return s.base;
}

function byName(a: readonly [string, string], b: readonly [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** Catalog series that can be named `name` in some shape (its base, or the base before `_total`/`_ratio`). */
function seriesNamed(catalog: CatalogSnapshot, name: string): CatalogSeries[] {
  const bases = new Set([name]);
  for (const suffix of ['_total', '_ratio'])
    if (name.endsWith(suffix)) bases.add(name.slice(0, -suffix.length));
  return [...bases].flatMap((b) => catalog.byBase.get(b) ?? []);
}

interface RegexHits {
  hits: string[];
}

/** Which of a list of values an RE2 pattern fully matches, judged by DuckDB (the engine the SQL path uses). */
function regexQuery(pattern: string, values: readonly string[]): CompiledQuery<RegexHits> {
  return Object.freeze({
    sql: `SELECT coalesce(list(v), []) AS hits FROM (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]')) AS v)
      WHERE regexp_full_match(v, $2::VARCHAR)`,
    params: Object.freeze([JSON.stringify(values), pattern]),
  });
}

/**
 * The values `.*` or `.+` match without asking the database: in RE2 `.` is any character but a newline, so
 * when no value holds one, `.*` matches them all and `.+` every non-empty one. Undefined for other patterns.
 */
function anyValue(pattern: string, values: readonly string[]): Set<string> | undefined {
  if ((pattern !== '.*' && pattern !== '.+') || values.some((v) => v.includes('\n'))) return undefined;
  return new Set(pattern === '.*' ? values : values.filter((v) => v !== ''));
}

/**
 * The scalar series a selector's matchers select, matched on the in-memory catalog: `=`/`!=` here, regexes by
 * one small DuckDB statement each over the distinct values left (RE2, exactly as the SQL path judges them).
 * Whether the series have points in a range is not checked (the points join decides).
 * @example const keys = await matchScalarSeries(snapshot, selector.matchers, db);
 */
export async function matchScalarSeries(
  catalog: CatalogSnapshot,
  matchers: readonly Matcher[],
  runner: PromqlRunner,
  run: QueryOptions = {},
): Promise<ScalarKey[]> {
  const named = matchers.find((m) => m.name === '__name__' && m.op === '=');
  const candidates = named === undefined ? catalog.series : seriesNamed(catalog, named.value);
  let keys: ScalarKey[] = [];
  for (const s of candidates) {
    for (const { kind, monotonic } of SHAPES) {
      const labels = [['__name__', scalarName(s, kind, monotonic)] as const, ...s.entries].sort(byName);
      keys.push({ id: s.id, kind, monotonic, labels });
    }
  }
  const labelOf = (k: ScalarKey, name: string) => k.labels.find((l) => l[0] === name)?.[1] ?? '';
  for (const m of matchers) {
    if (m.op === '=') keys = keys.filter((k) => labelOf(k, m.name) === m.value);
    else if (m.op === '!=') keys = keys.filter((k) => labelOf(k, m.name) !== m.value);
  }
  for (const m of matchers) {
    if (m.op !== '=~' && m.op !== '!~') continue;
    if (keys.length === 0) break;
    const values = [...new Set(keys.map((k) => labelOf(k, m.name)))];
    const hits =
      anyValue(m.value, values) ??
      new Set((await runner.query(regexQuery(m.value, values), run)).rows[0]?.hits ?? []);
    const want = m.op === '=~';
    keys = keys.filter((k) => hits.has(labelOf(k, m.name)) === want);
  }
  return keys;
}
