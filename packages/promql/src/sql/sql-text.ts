/**
 * A SQL string literal of a constant the compiler owns (never user input: that is bound as a parameter).
 * @example sqlString("it's") // "'it''s'"
 */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A DOUBLE literal, exact for every finite double, and NaN/±Inf spelled as DuckDB reads them.
 * @example sqlDouble(0.1) // '0.1::DOUBLE'
 */
export function sqlDouble(value: number): string {
  if (Number.isNaN(value)) return "'NaN'::DOUBLE";
  if (value === Number.POSITIVE_INFINITY) return "'Infinity'::DOUBLE";
  if (value === Number.NEGATIVE_INFINITY) return "'-Infinity'::DOUBLE";
  if (Object.is(value, -0)) return '(-0.0)::DOUBLE';
  return `(${String(value)})::DOUBLE`;
}

/**
 * A BIGINT literal of an integer number of milliseconds.
 * @example sqlBigint(1000) // '1000::BIGINT'
 */
export function sqlBigint(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return `(${value})::BIGINT`;
}

/**
 * A SQL CASE mapping `expr` through a constant table, with `fallback` for other values.
 * @example sqlLookup('u', { s: 'seconds' }, "''") // "CASE u WHEN 's' THEN 'seconds' ELSE '' END"
 */
export function sqlLookup(expr: string, table: Readonly<Record<string, string>>, fallback: string): string {
  const arms = Object.entries(table).map(([k, v]) => `WHEN ${sqlString(k)} THEN ${sqlString(v)}`);
  return `(CASE ${expr} ${arms.join(' ')} ELSE ${fallback} END)`;
}
