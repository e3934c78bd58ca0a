import { parseTimestamp, type TimestampInput } from './timestamp.ts';

/**
 * Formats unix nanoseconds as RFC 3339 UTC with nine fractional digits.
 * @example nanosToIso(1704164645123456789n) // '2024-01-02T03:04:05.123456789Z'
 */
export function nanosToIso(nanos: bigint): string {
  const ms = nanos / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString();
  const frac = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 19)}.${frac}Z`;
}

/**
 * Unix nanoseconds to a `Date` (millisecond precision).
 * @example nanosToDate(1_000_000n).getTime() // 1
 */
export function nanosToDate(nanos: bigint): Date {
  return new Date(Number(nanos / 1_000_000n));
}

/**
 * Current time in unix nanoseconds (millisecond resolution).
 * @example const t = nowNanos(); // 1704067200000000000n
 */
export function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * Unix nanoseconds as the text DuckDB casts to TIMESTAMP (`?::TIMESTAMP`), microsecond precision.
 * @example nanosToSqlTimestamp(1704067200000001000n) // '2024-01-01 00:00:00.000001'
 */
export function nanosToSqlTimestamp(nanos: bigint): string {
  const iso = new Date(Number(nanos / 1_000_000n)).toISOString();
  const micros = ((nanos / 1000n) % 1_000_000n).toString().padStart(6, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${micros}`;
}

/**
 * Converts a time input to the text DuckDB casts to TIMESTAMP (`?::TIMESTAMP`), microsecond precision.
 * @example sqlTimestamp('2024-01-01T00:00:00Z') // '2024-01-01 00:00:00.000000'
 */
export function sqlTimestamp(input: TimestampInput, field = 'time'): string {
  return nanosToSqlTimestamp(parseTimestamp(input, field));
}
