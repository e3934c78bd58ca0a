/*
 * Float semantics of Go in DuckDB SQL. DuckDB orders NaN above every number (so `NaN > 1` and `NaN = NaN` are
 * true there) and raises errors for `ln(0)` or `sqrt(-1)`; Prometheus follows IEEE 754 (every comparison with
 * NaN is false but `!=`, and those functions give -Inf or NaN).
 */

const NAN = "'NaN'::DOUBLE";

/**
 * An IEEE comparison of two DOUBLE expressions.
 * @example ieeeCompare('>', 'a', 'b') // '(a > b AND NOT isnan(a) AND NOT isnan(b))'
 */
export function ieeeCompare(op: '==' | '!=' | '>' | '<' | '>=' | '<=', a: string, b: string): string {
  if (op === '!=') return `(NOT (${a} = ${b}) OR isnan(${a}) OR isnan(${b}))`;
  const sqlOp = op === '==' ? '=' : op;
  return `((${a}) ${sqlOp} (${b}) AND NOT isnan(${a}) AND NOT isnan(${b}))`;
}

/**
 * Go's value of an arithmetic operator (`math.Mod`, `math.Pow`, `math.Atan2` for `%`, `^`, `atan2`).
 * @example arithmetic('%', 'a', 'b') // 'fmod(a, b)'
 */
export function arithmetic(op: '+' | '-' | '*' | '/' | '%' | '^' | 'atan2', a: string, b: string): string {
  switch (op) {
    case '%':
      // DuckDB's fmod takes the divisor's sign; Go's math.Mod the dividend's.
      return `(CASE WHEN ${a} < 0 THEN -fmod(-(${a}), abs(${b})) ELSE fmod(${a}, abs(${b})) END)`;
    case '^':
      return `pow(${a}, ${b})`;
    case 'atan2':
      return `atan2(${a}, ${b})`;
    default:
      return `((${a}) ${op} (${b}))`;
  }
}

/** Go's `math.Log`-like functions: -Inf at 0, NaN below 0 and for NaN. */
export function logarithm(fn: 'ln' | 'log2' | 'log10', v: string): string {
  return `(CASE WHEN isnan(${v}) OR ${v} < 0 THEN ${NAN} WHEN ${v} = 0 THEN '-Infinity'::DOUBLE ELSE ${fn}(${v}) END)`;
}

/** Go's `math.Sqrt`: NaN below 0. */
export function squareRoot(v: string): string {
  return `(CASE WHEN isnan(${v}) OR ${v} < 0 THEN ${NAN} ELSE sqrt(${v}) END)`;
}

/** Go's `math.Max(a, b)` (NaN when either is NaN). */
export function goMax(a: string, b: string): string {
  return `(CASE WHEN isnan(${a}) OR isnan(${b}) THEN ${NAN} ELSE greatest(${a}, ${b}) END)`;
}

/** Go's `math.Min(a, b)` (NaN when either is NaN). */
export function goMin(a: string, b: string): string {
  return `(CASE WHEN isnan(${a}) OR isnan(${b}) THEN ${NAN} ELSE least(${a}, ${b}) END)`;
}

/** `max` over a group as Prometheus does: NaN only when every value is NaN. */
export function maxIgnoringNaN(v: string): string {
  return `coalesce(max(${v}) FILTER (WHERE NOT isnan(${v})), ${NAN})`;
}

/**
 * A DOUBLE as Go's `strconv.FormatFloat(v, 'f', -1, 64)` for the values DuckDB spells without an exponent; an
 * error for others (used by `count_values`, whose output labels must be exact).
 */
export function formatFloatSql(v: string): string {
  return `(CASE WHEN isnan(${v}) THEN 'NaN' WHEN ${v} = 'Infinity'::DOUBLE THEN '+Inf' WHEN ${v} = '-Infinity'::DOUBLE THEN '-Inf'
    WHEN ${v} = trunc(${v}) AND abs(${v}) < 1e15 THEN CAST(CAST(${v} AS BIGINT) AS VARCHAR)
    WHEN NOT contains(CAST(${v} AS VARCHAR), 'e') THEN CAST(${v} AS VARCHAR)
    ELSE error('count_values: value cannot be formatted as Prometheus does') END)`;
}
