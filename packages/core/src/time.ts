import { ValidationError } from './errors.ts';

/** Anything Duckside accepts as a point in time: `Date`, unix milliseconds, unix nanoseconds (bigint), RFC 3339 text or digits of unix ms. */
export type TimestampInput = Date | number | bigint | string;

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?$/;
/**
 * Latest storable time (2255-06-05T23:47:34.740991999Z): writers keep times as safe-integer microseconds plus a
 * nanosecond remainder, and larger values would be rounded or wrap around in the BIGINT nanosecond column.
 */
const MAX_NANOS = BigInt(Number.MAX_SAFE_INTEGER) * 1000n + 999n;
const TOO_LATE = 'times after 2255-06-05T23:47:34.740991999Z cannot be stored';

/**
 * Converts a timestamp input to unix nanoseconds, keeping sub-millisecond digits of RFC 3339 text.
 * Numbers are unix milliseconds (fractions allowed); bigints are already nanoseconds.
 * @example parseTimestamp('2024-01-02T03:04:05.123456789Z') // 1704164645123456789n
 */
export function parseTimestamp(input: TimestampInput, field = 'timestamp'): bigint {
  if (typeof input === 'bigint') {
    if (input < 0n || input > MAX_NANOS)
      throw new ValidationError(field, 'nanosecond timestamp out of range');
    return input;
  }
  if (input instanceof Date) return msToNanos(input.getTime(), field);
  if (typeof input === 'number') return msToNanos(input, field);
  if (typeof input === 'string') {
    const text = input.trim();
    if (/^\d{1,16}(\.\d+)?$/.test(text)) return msToNanos(Number(text), field);
    const m = RFC3339.exec(text);
    if (!m) throw new ValidationError(field, 'expected an RFC 3339 time or unix milliseconds');
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const offset = parseOffsetMinutes(zone ?? 'Z');
    const ms =
      Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
    if (
      !Number.isFinite(ms) ||
      Number(mo) < 1 ||
      Number(mo) > 12 ||
      Number(d) < 1 ||
      Number(d) > new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate() ||
      Number(h) > 23 ||
      Number(mi) > 59 ||
      Number(s) > 60
    ) {
      throw new ValidationError(field, 'invalid calendar time');
    }
    const fracNanos = frac ? BigInt(frac.padEnd(9, '0')) : 0n;
    const nanos = BigInt(ms) * 1_000_000n + fracNanos;
    if (nanos < 0n) throw new ValidationError(field, 'times before 1970 are not supported');
    if (nanos > MAX_NANOS) throw new ValidationError(field, TOO_LATE);
    return nanos;
  }
  throw new ValidationError(field, 'expected a Date, unix milliseconds, or RFC 3339 text');
}

function parseOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  // An impossible offset makes the time NaN, which the caller rejects.
  return hours > 23 || minutes > 59 ? Number.NaN : sign * (hours * 60 + minutes);
}

function msToNanos(ms: number, field: string): bigint {
  if (!Number.isFinite(ms) || ms < 0 || ms > 9_000_000_000_000_000) {
    throw new ValidationError(field, 'timestamp must be a finite, non-negative unix millisecond value');
  }
  const whole = Math.floor(ms);
  const nanos = BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
  if (nanos > MAX_NANOS) throw new ValidationError(field, TOO_LATE);
  return nanos;
}

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

/** Current time in unix nanoseconds (millisecond resolution plus the sub-ms part of `performance.now`). */
export function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
