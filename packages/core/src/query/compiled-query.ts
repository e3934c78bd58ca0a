/** A bound parameter value. Times are passed as text and cast in SQL. */
export type SqlParam = string | number | bigint | boolean | null;

/**
 * A compiled query: SQL text with `?` placeholders and its bound parameters, frozen.
 * `R` is the row type the executor returns.
 */
export interface CompiledQuery<R = Record<string, unknown>> {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  /** Phantom field carrying the row type; never set. */
  readonly __row?: R;
}

/**
 * Freezes a query and its parameters.
 * @example compiled<{ n: number }>('SELECT ? AS n', [1])
 */
export function compiled<R>(sql: string, params: readonly SqlParam[]): CompiledQuery<R> {
  return Object.freeze({ sql, params: Object.freeze([...params]) });
}

/**
 * Quotes an identifier that has already passed an allowlist.
 * @example quoteIdent('trading_metrics') // '"trading_metrics"'
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
