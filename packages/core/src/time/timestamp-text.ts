import { ValidationError } from '../errors/errors.ts';
import { unixMsToNanos } from './unix-ms.ts';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;
const RELATIVE = /^now(?:\s*([+-])\s*(\d{1,9})(s|m|h|d|w))?$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** What the error of an unreadable time lists. */
export const ACCEPTED_TIME_FORMS =
  'expected RFC 3339 (2024-01-02T03:04:05Z, seconds optional), a date (2024-01-02, UTC midnight), ' +
  'unix milliseconds, or now / now-15m / now-1h / now-7d (units s, m, h, d, w)';

/**
 * Reads the text forms of a time as unix nanoseconds (not yet range-checked): RFC 3339 with optional seconds,
 * a plain date (UTC midnight), digits of unix milliseconds, or `now[+-]<n><unit>`.
 * @throws ValidationError naming `field` and {@link ACCEPTED_TIME_FORMS}.
 * @example parseTimestampText('2024-01-01T12:00Z', 'from') // 1704110400000000000n
 */
export function parseTimestampText(input: string, field: string): bigint {
  const text = input.trim();
  if (/^\d{1,16}(\.\d+)?$/.test(text)) return unixMsToNanos(Number(text), field);
  const relative = RELATIVE.exec(text);
  if (relative) return relativeToNow(relative);
  const m = RFC3339.exec(text);
  if (!m) throw new ValidationError(field, ACCEPTED_TIME_FORMS);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, zone] = m;
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
  return BigInt(ms) * 1_000_000n + (frac ? BigInt(frac.padEnd(9, '0')) : 0n);
}

function relativeToNow([, sign, count, unit]: RegExpExecArray): bigint {
  const now = BigInt(Date.now()) * 1_000_000n;
  if (sign === undefined) return now;
  const offset = BigInt(count as string) * BigInt(UNIT_MS[unit?.toLowerCase() as keyof typeof UNIT_MS]);
  return now + (sign === '-' ? -offset : offset) * 1_000_000n;
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
