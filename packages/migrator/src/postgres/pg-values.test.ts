import { describe, expect, it } from 'vitest';
import { microsToIso, readTimestampMicros } from './pg-values.ts';

describe('PostgreSQL binary values', () => {
  it('reads timestamps as unix microseconds and infinity as null', () => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64BE(757_382_400_000_001n); // 2024-01-01T00:00:00.000001Z since 2000-01-01
    expect(readTimestampMicros(buffer, 0)).toBe(1_704_067_200_000_001);
    buffer.writeBigInt64BE(2n ** 63n - 1n);
    expect(readTimestampMicros(buffer, 0)).toBeNull();
  });

  it('formats watermarks with six fractional digits', () => {
    expect(microsToIso(1_704_067_200_000_001)).toBe('2024-01-01T00:00:00.000001Z');
    expect(microsToIso(0)).toBe('1970-01-01T00:00:00.000000Z');
  });
});
