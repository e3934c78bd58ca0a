/** A bound parameter value. Times are passed as text and cast in SQL. */
export type SqlParam = string | number | bigint | boolean | null;

/**
 * A narrower form of a query that gives the same answer whenever it returns at least `minRows` rows, e.g. a
 * newest-N over the last part of the range: once that part holds N rows, no older point can be among them.
 */
export interface Shortcut {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  readonly minRows: number;
}

/**
 * A compiled query: SQL text with `?` placeholders and its bound parameters, frozen.
 * `R` is the row type the executor returns.
 */
export interface CompiledQuery<R = Record<string, unknown>> {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  /** Tried in order before `sql`; the first that returns enough rows is the answer. */
  readonly shortcuts?: readonly Shortcut[];
  /**
   * What answers it, when the builder chose among sources: `raw`, `rollup:<level>` or `rollup:<level>+raw`
   * (rollup buckets plus raw rows at unaligned edges), see docs/rollups.md.
   */
  readonly source?: string;
  /**
   * The same query for when `rollup_dirty` is empty (no raw rows of dirty buckets to read): the executor checks
   * that and runs this instead, in the same snapshot.
   */
  readonly clean?: { readonly sql: string; readonly params: readonly SqlParam[] };
  /** Phantom field carrying the row type; never set. */
  readonly __row?: R;
}

/**
 * Freezes a query, its parameters and its shortcuts.
 * @example compiled<{ n: number }>('SELECT ? AS n', [1])
 */
export function compiled<R>(
  sql: string,
  params: readonly SqlParam[],
  shortcuts: readonly Shortcut[] = [],
  source?: string,
  clean?: { sql: string; params: readonly SqlParam[] },
): CompiledQuery<R> {
  const frozen = shortcuts.map((s) => Object.freeze({ ...s, params: Object.freeze([...s.params]) }));
  return Object.freeze({
    sql,
    params: Object.freeze([...params]),
    ...(frozen.length > 0 ? { shortcuts: Object.freeze(frozen) } : {}),
    ...(source === undefined ? {} : { source }),
    ...(clean === undefined
      ? {}
      : { clean: Object.freeze({ sql: clean.sql, params: Object.freeze([...clean.params]) }) }),
  });
}

/**
 * Quotes an identifier that has already passed an allowlist.
 * @example quoteIdent('trading_metrics') // '"trading_metrics"'
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
