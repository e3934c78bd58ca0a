import { ValidationError } from '../errors/errors.ts';
import { parseTimestampText } from './timestamp-text.ts';
import { unixMsToNanos } from './unix-ms.ts';

/**
 * Anything Duckside accepts as a point in time: `Date`, unix milliseconds, unix nanoseconds (bigint), or text
 * (see {@link parseTimestamp} for the accepted text forms).
 */
export type TimestampInput = Date | number | bigint | string;

/**
 * Latest storable time (2255-06-05T23:47:34.740991999Z): writers keep times as safe-integer microseconds plus a
 * nanosecond remainder, and larger values would be rounded or wrap around in the BIGINT nanosecond column.
 */
export const MAX_NANOS = BigInt(Number.MAX_SAFE_INTEGER) * 1000n + 999n;

/**
 * Converts a timestamp input to unix nanoseconds, once, at the border: builders and records keep the result.
 * Numbers are unix milliseconds (fractions allowed); bigints are already nanoseconds. Text may be RFC 3339
 * (`2024-01-02T03:04:05.123456789Z`, seconds optional: `2024-01-02T03:04Z`; no zone means UTC), a date
 * (`2024-01-02`, UTC midnight), digits of unix milliseconds, or a time relative to now (`now`, `now-15m`,
 * `now-1h`, `now-7d`, `now+30s`; units s, m, h, d, w).
 * @throws ValidationError naming `field` and the accepted forms, or the range, when the input is not a time.
 * @example parseTimestamp('2024-01-02T03:04:05.123456789Z') // 1704164645123456789n
 * @example parseTimestamp('2024-01-02') // 1704153600000000000n
 */
export function parseTimestamp(input: TimestampInput, field = 'timestamp'): bigint {
  let nanos: bigint;
  if (typeof input === 'bigint') nanos = input;
  else if (input instanceof Date) nanos = unixMsToNanos(input.getTime(), field);
  else if (typeof input === 'number') nanos = unixMsToNanos(input, field);
  else if (typeof input === 'string') nanos = parseTimestampText(input, field);
  else throw new ValidationError(field, 'expected a Date, unix milliseconds, unix nanoseconds or text');
  return checkStorable(nanos, field);
}

function checkStorable(nanos: bigint, field: string): bigint {
  if (nanos < 0n) throw new ValidationError(field, 'times before 1970 are not supported');
  if (nanos > MAX_NANOS) {
    throw new ValidationError(field, 'times after 2255-06-05T23:47:34.740991999Z cannot be stored');
  }
  return nanos;
}
