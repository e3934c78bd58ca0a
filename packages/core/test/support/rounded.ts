/**
 * Deep copy with every fractional number rounded to 9 significant digits and every `Date` as unix ms, so that results
 * computed in SQL and in a JS reference compare with `toEqual` despite floating-point order differences.
 * @example expect(rounded(rows)).toEqual(rounded(expected));
 */
export function rounded(value: unknown): unknown {
  if (typeof value === 'number') {
    return Number.isFinite(value) && !Number.isInteger(value) ? Number(value.toPrecision(9)) : value;
  }
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  }
  return value;
}
