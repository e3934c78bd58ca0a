/**
 * Quotes a string as a SQL literal (DuckDB and PostgreSQL with standard_conforming_strings: quotes doubled).
 * @example sqlString("O'Hara") // "'O''Hara'"
 */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Quotes an identifier, or a dotted `schema.table` name part by part.
 * @example sqlIdent('public.metrics') // '"public"."metrics"'
 */
export function sqlIdent(name: string, dotted = false): string {
  const parts = dotted ? name.split('.') : [name];
  return parts.map((p) => `"${p.replaceAll('"', '""')}"`).join('.');
}
