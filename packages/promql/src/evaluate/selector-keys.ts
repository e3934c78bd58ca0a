import type { QueryOptions } from '@duckside/core';
import type { ScalarKeyLookup } from '../compile/plan.ts';
import type { ScalarKey } from '../compile/scalar-key.ts';
import type { Expr, Matcher, VectorSelectorNode } from '../language/ast.ts';
import type { PromqlRunner } from './promql-runner.ts';
import { matchScalarSeries } from './scalar-series-match.ts';
import type { CatalogSnapshot } from './series-catalog.ts';

/** Every vector selector of a tree (inside range selectors, subqueries, calls, operators). */
function selectorsOf(node: unknown, out: VectorSelectorNode[] = []): VectorSelectorNode[] {
  if (node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const child of node) selectorsOf(child, out);
    return out;
  }
  if ((node as { type?: unknown }).type === 'selector') {
    out.push(node as VectorSelectorNode);
    return out;
  }
  for (const child of Object.values(node)) selectorsOf(child, out);
  return out;
}

/**
 * The scalar series each selector of `expr` matches, matched on the catalog (one lookup per distinct matcher
 * list), for the compiler to read from a parameter instead of deriving every series' labels in SQL.
 * @example compilePromql(text, { ...options, scalarKeys: await selectorKeys(expr, snapshot, db) }, expr)
 */
export async function selectorKeys(
  expr: Expr,
  catalog: CatalogSnapshot,
  runner: PromqlRunner,
  run: QueryOptions = {},
): Promise<ScalarKeyLookup> {
  const lookup = new Map<readonly Matcher[], readonly ScalarKey[]>();
  const byText = new Map<string, readonly ScalarKey[]>();
  for (const selector of selectorsOf(expr)) {
    if (lookup.has(selector.matchers)) continue;
    const text = JSON.stringify(selector.matchers);
    let keys = byText.get(text);
    if (keys === undefined) {
      keys = await matchScalarSeries(catalog, selector.matchers, runner, run);
      byText.set(text, keys);
    }
    lookup.set(selector.matchers, keys);
  }
  return lookup;
}
