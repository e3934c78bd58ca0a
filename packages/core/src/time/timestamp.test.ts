import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.ts';
import { ValidationError } from '../errors/errors.ts';
import { nanosToIso } from './time-format.ts';
import { parseTimestamp } from './timestamp.ts';

const MS = 1_000_000n;
/** The writer keeps times as safe-integer microseconds plus a nanosecond remainder. */
const MAX_NANOS = BigInt(Number.MAX_SAFE_INTEGER) * 1000n + 999n;
const utc = (...parts: [number, number, number, number, number, number]) =>
  BigInt(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5])) * MS;

describe('parseTimestamp', () => {
  it('keeps all nine fractional digits of RFC 3339 text', () => {
    expect(parseTimestamp('2024-01-02T03:04:05.123456789Z')).toBe(utc(2024, 1, 2, 3, 4, 5) + 123_456_789n);
  });

  it('pads shorter fractions', () => {
    expect(parseTimestamp('2024-01-02T03:04:05.5Z')).toBe(utc(2024, 1, 2, 3, 4, 5) + 500_000_000n);
    expect(parseTimestamp('2024-01-02T03:04:05.000001Z')).toBe(utc(2024, 1, 2, 3, 4, 5) + 1000n);
  });

  it.each([
    ['2024-01-02T08:34:05.000000001+05:30', 1n],
    ['2024-01-01T19:04:05.000000002-08:00', 2n],
    ['2024-01-02T08:34:05.000000003+0530', 3n],
    ['2024-01-02t03:04:05.000000004z', 4n],
    ['2024-01-02 03:04:05.000000005', 5n],
    ['  2024-01-02T03:04:05.000000006Z  ', 6n],
  ])('applies the offset of %s', (text, nanos) => {
    expect(parseTimestamp(text)).toBe(utc(2024, 1, 2, 3, 4, 5) + nanos);
  });

  it('reads numbers and digit strings as unix milliseconds, bigint as nanoseconds', () => {
    const ms = Date.UTC(2024, 0, 2, 3, 4, 5, 123);
    expect(parseTimestamp(ms)).toBe(BigInt(ms) * MS);
    expect(parseTimestamp(String(ms))).toBe(BigInt(ms) * MS);
    expect(parseTimestamp(ms + 0.25)).toBe(BigInt(ms) * MS + 250_000n);
    expect(parseTimestamp(new Date(ms))).toBe(BigInt(ms) * MS);
    expect(parseTimestamp(1_704_164_645_123_456_789n)).toBe(1_704_164_645_123_456_789n);
    expect(parseTimestamp(0)).toBe(0n);
  });

  it.each([
    ['2024-01-02', utc(2024, 1, 2, 0, 0, 0)],
    ['2024-02-29', utc(2024, 2, 29, 0, 0, 0)],
    ['2024-01-02T03:04Z', utc(2024, 1, 2, 3, 4, 0)],
    ['2024-01-02T03:04', utc(2024, 1, 2, 3, 4, 0)],
    ['2024-01-02 03:04', utc(2024, 1, 2, 3, 4, 0)],
    ['2024-01-02T05:04+02:00', utc(2024, 1, 2, 3, 4, 0)],
    ['2024-01-01T22:04-0500', utc(2024, 1, 2, 3, 4, 0)],
  ])('reads the short form %s', (text, nanos) => {
    expect(parseTimestamp(text)).toBe(nanos);
  });

  it.each([
    ['now', 0],
    [' now ', 0],
    ['now-30s', -30_000],
    ['now-15m', -15 * 60_000],
    ['now-1h', -3_600_000],
    ['now-7d', -7 * 86_400_000],
    ['now-2w', -14 * 86_400_000],
    ['now+5m', 5 * 60_000],
    ['now - 1h', -3_600_000],
  ])('reads %s relative to the clock', (text, offsetMs) => {
    const before = BigInt(Date.now() + offsetMs) * MS;
    const nanos = parseTimestamp(text);
    const after = BigInt(Date.now() + offsetMs) * MS;
    expect(nanos).toBeGreaterThanOrEqual(before);
    expect(nanos).toBeLessThanOrEqual(after);
  });

  it('names every accepted form in the error of unreadable text', async () => {
    const error = await errorOf(ValidationError, () => parseTimestamp('last tuesday', 'from'));
    expect(error.field).toBe('from');
    for (const form of [
      'RFC 3339',
      '2024-01-02T03:04:05Z',
      'seconds optional',
      '2024-01-02',
      'UTC midnight',
      'unix milliseconds',
      'now-1h',
      'now-7d',
    ]) {
      expect(error.message).toContain(form);
    }
  });

  it('accepts a leap day', () => {
    expect(parseTimestamp('2024-02-29T00:00:00Z')).toBe(utc(2024, 2, 29, 0, 0, 0));
  });

  it.each([
    'yesterday',
    '',
    '2024-13-01T00:00:00Z',
    '2024-00-10T00:00:00Z',
    '2024-01-00T00:00:00Z',
    '2024-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-04-31T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:60:00Z',
    '2024-01-01T00:00:00+24:00',
    '2024-01-01T00:00:00+05:60',
    '2024-01-01T00:00:00.1234567890Z',
    '1969-12-31T23:59:59Z',
    '1969-12-31',
    '2024-1-2',
    '2024-01-02T03Z',
    '2024-01-02T03:04.5Z',
    '2024-01-02Z',
    '2024-02-30',
    'now-',
    'now-1',
    'now-1y',
    'now-1M',
    'now*2',
    'NOW',
    'now-1h-1h',
    'today',
    'now-99999999999d',
    "2024-01-01'; DROP TABLE trading_metrics; --",
  ])('rejects %j naming the field', async (text) => {
    expect((await errorOf(ValidationError, () => parseTimestamp(text, 'from'))).field).toBe('from');
  });

  it.each([
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -1n,
    2n ** 63n - 1n,
    MAX_NANOS + 1n,
    1e13,
    '9999-12-31T23:59:59Z',
    '2262-04-11T23:47:16.854775807Z',
    new Date(Date.UTC(2300, 0, 1)),
  ])('rejects the out-of-range value %s', async (value) => {
    expect((await errorOf(ValidationError, () => parseTimestamp(value))).field).toBe('timestamp');
  });

  it('rejects other types', async () => {
    expect((await errorOf(ValidationError, () => parseTimestamp({} as never))).field).toBe('timestamp');
  });

  it('accepts times up to the last nanosecond whose microseconds are a safe integer (year 2255)', () => {
    expect(nanosToIso(MAX_NANOS)).toBe('2255-06-05T23:47:34.740991999Z');
    expect(parseTimestamp(MAX_NANOS)).toBe(MAX_NANOS);
    expect(parseTimestamp('2255-06-05T23:47:34.740991999Z')).toBe(MAX_NANOS);
    expect(parseTimestamp(Number(MAX_NANOS / MS))).toBe((MAX_NANOS / MS) * MS);
  });

  it('round-trips nanoseconds through nanosToIso over the whole accepted range', () => {
    const maxNanos = MAX_NANOS;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: maxNanos }), (nanos) => {
        const iso = nanosToIso(nanos);
        expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
        expect(parseTimestamp(iso)).toBe(nanos);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with Date on RFC 3339 text with an offset', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1971-01-01T00:00:00Z'),
          max: new Date('2255-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offsetMinutes) => {
          const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseTimestamp(`${local}${zone}`)).toBe(BigInt(date.getTime()) * MS);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
