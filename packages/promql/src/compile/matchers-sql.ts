import type { Matcher } from '../language/ast.ts';
import { labelValue } from './label-sql.ts';
import type { SqlPlan } from './plan.ts';

/**
 * A predicate of label matchers over a `labels` MAP column: `=`/`!=` on the value ('' when absent),
 * `=~`/`!~` fully anchored RE2 (DuckDB and Prometheus both use RE2 syntax).
 * @example matchersSql(plan, [{ name: 'job', op: '=~', value: 'api|web' }], 'labels')
 */
export function matchersSql(plan: SqlPlan, matchers: readonly Matcher[], labels: string): string {
  return matchersOn(plan, matchers, (name) => labelValue(plan, labels, name));
}

/**
 * The selector's matchers split for a cheap first pass: `name(col)` is the predicate of the `__name__`
 * matchers on a metric name column (computed before any label MAP is built), `labels(col)` that of the others
 * on the `labels` MAP. Both together equal {@link matchersSql}.
 * @example const m = splitMatchersSql(plan, matchers); `WHERE ${m.name('name')}`
 */
export function splitMatchersSql(
  plan: SqlPlan,
  matchers: readonly Matcher[],
): { name: (column: string) => string; labels: (labels: string) => string } {
  const byName = matchers.filter((m) => m.name === '__name__');
  const others = matchers.filter((m) => m.name !== '__name__');
  return {
    name: (column) => matchersOn(plan, byName, () => `coalesce(${column}, '')`),
    labels: (labels) => matchersSql(plan, others, labels),
  };
}

/** The conjunction of `matchers`, each on the value `valueFor(labelName)` ('' when absent). */
function matchersOn(plan: SqlPlan, matchers: readonly Matcher[], valueFor: (name: string) => string): string {
  if (matchers.length === 0) return 'TRUE';
  return matchers
    .map((m) => {
      const value = valueFor(m.name);
      const p = plan.param(m.value);
      switch (m.op) {
        case '=':
          return `${value} = ${p}`;
        case '!=':
          return `${value} <> ${p}`;
        case '=~':
          return `regexp_full_match(${value}, ${p})`;
        default:
          return `NOT regexp_full_match(${value}, ${p})`;
      }
    })
    .join(' AND ');
}

/** Which derived series of histograms and summaries a selector can match, from its `__name__=` matcher. */
export interface DerivedNeeds {
  scalars: boolean;
  buckets: boolean;
  sums: boolean;
  counts: boolean;
  quantiles: boolean;
}

/**
 * Narrows the sources a selector reads: with `__name__="x_bucket"` only histogram buckets can match, with
 * `x_sum`/`x_count` only those (or a scalar of that name), otherwise scalars and summary quantiles.
 */
export function derivedNeeds(matchers: readonly Matcher[]): DerivedNeeds {
  const name = matchers.find((m) => m.name === '__name__' && m.op === '=')?.value;
  if (name === undefined) return { scalars: true, buckets: true, sums: true, counts: true, quantiles: true };
  return {
    scalars: true,
    buckets: name.endsWith('_bucket'),
    sums: name.endsWith('_sum'),
    counts: name.endsWith('_count'),
    quantiles: true,
  };
}
