import { ValidationError } from '../errors/errors.ts';

/**
 * Unix milliseconds (fractions allowed, kept to the nanosecond) to unix nanoseconds.
 * @throws ValidationError naming `field` for a negative, infinite or absurdly large value.
 * @example unixMsToNanos(1.5, 'from') // 1500000n
 */
export function unixMsToNanos(ms: number, field: string): bigint {
  if (!Number.isFinite(ms) || ms < 0 || ms > 9_000_000_000_000_000) {
    throw new ValidationError(field, 'timestamp must be a finite, non-negative unix millisecond value');
  }
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}
