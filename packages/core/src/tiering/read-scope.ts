import type { SqlParam } from '../query/compiled-query.ts';

/**
 * A rewriter of read statements that the cold tier gives `db.setReadSchema`: it narrows the views a statement
 * reads to the cold days its time range can touch (DuckDB binds every UNION branch of a view before it prunes
 * any, about 0.7 ms per cold day here, so a one-day query over a view of 23 cold days spent most of its time
 * binding branches it then dropped).
 */
export interface ReadScope {
  /** The statement to run in place of `sql` (same parameters), or undefined to run `sql` as it is. */
  rewrite(sql: string, params: readonly SqlParam[]): string | undefined;
  /**
   * Changes whenever the set of cold files changes: odd while a change is committing, even otherwise. A statement
   * rewritten under one generation and finished under another is run again as it is (through the views).
   */
  readonly generation: number;
}

/**
 * Runs one read statement through `scope`: rewritten when the scope narrows it, and run again unrewritten when
 * the cold files changed meanwhile (the rewrite may have named a stale list of files, while the views are part
 * of the statement's snapshot).
 * @example const reader = await readScoped(scope, sql, params, (text) => connection.runAndReadAll(text));
 */
export async function readScoped<T>(
  scope: ReadScope | undefined,
  sql: string,
  params: readonly SqlParam[],
  run: (text: string) => Promise<T>,
): Promise<T> {
  if (scope === undefined) return run(sql);
  const generation = scope.generation;
  const scoped = generation % 2 === 0 ? scope.rewrite(sql, params) : undefined;
  if (scoped === undefined) return run(sql);
  const answer = await run(scoped);
  return scope.generation === generation ? answer : run(sql);
}
