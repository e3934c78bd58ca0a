import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.ts';
import { ValidationError } from '../errors/errors.ts';
import { nanosToDate, nanosToIso, nanosToSqlTimestamp, nowNanos, sqlTimestamp } from './time-format.ts';

const MS = 1_000_000n;
const utc = (...parts: [number, number, number, number, number, number]) =>
  BigInt(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5])) * MS;

describe('sqlTimestamp / nanosToSqlTimestamp', () => {
  it('formats timestamps for a TIMESTAMP cast with microseconds', () => {
    expect(sqlTimestamp('2024-01-01T00:00:00Z')).toBe('2024-01-01 00:00:00.000000');
    expect(sqlTimestamp('2024-01-01T10:20:30.123456789+02:00')).toBe('2024-01-01 08:20:30.123456');
    expect(sqlTimestamp(1_704_067_200_001)).toBe('2024-01-01 00:00:00.001000');
    expect(sqlTimestamp('2024-01-01')).toBe('2024-01-01 00:00:00.000000');
    expect(nanosToSqlTimestamp(1_704_067_200_000_001_999n)).toBe('2024-01-01 00:00:00.000001');
  });

  it('names the field of a bad time', async () => {
    expect((await errorOf(ValidationError, () => sqlTimestamp('soon', 'cutoff'))).field).toBe('cutoff');
  });
});

describe('nanosToIso / nanosToDate / nowNanos', () => {
  it('formats nine fractional digits', () => {
    expect(nanosToIso(utc(2024, 1, 2, 3, 4, 5) + 123_456_789n)).toBe('2024-01-02T03:04:05.123456789Z');
    expect(nanosToIso(7n)).toBe('1970-01-01T00:00:00.000000007Z');
  });

  it('converts to a Date with millisecond precision', () => {
    expect(nanosToDate(utc(2024, 1, 2, 3, 4, 5) + 123_999_999n).toISOString()).toBe(
      '2024-01-02T03:04:05.123Z',
    );
  });

  it('reads the clock in nanoseconds', () => {
    const before = BigInt(Date.now()) * MS;
    const now = nowNanos();
    const after = BigInt(Date.now()) * MS;
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
  });
});
