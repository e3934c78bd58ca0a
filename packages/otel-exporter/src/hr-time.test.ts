import { joinNanos } from '@duckside/core/ingest';
import { describe, expect, it } from 'vitest';
import { hrTimeToNanos, hrTimeToSplit } from './hr-time.ts';

describe('hrTimeToSplit', () => {
  it('splits exactly, agreeing with the BigInt reference, for current and far-future times', () => {
    const times: [number, number][] = [
      [0, 0],
      [0, 999],
      [1, 2_500],
      [1_700_000_000, 123_456_789],
      [1_700_000_000, 999_999_999],
      [4_102_444_800, 1],
      [9_000_000_000, 987_654_321],
    ];
    for (const t of times) {
      const { micros, nanos } = hrTimeToSplit(t);
      expect(Number.isSafeInteger(micros)).toBe(true);
      expect(nanos).toBeGreaterThanOrEqual(0);
      expect(nanos).toBeLessThan(1000);
      expect(joinNanos(micros, nanos)).toBe(hrTimeToNanos(t));
      expect(hrTimeToNanos(t)).toBe(BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]));
    }
  });

  it('truncates fractional parts like the OTLP serializers', () => {
    expect(hrTimeToSplit([1.9, 1_500.7])).toEqual({ micros: 1_000_001, nanos: 500 });
    expect(hrTimeToNanos([1.9, 1_500.7])).toBe(1_000_001_500n);
  });

  it('writes into the given object', () => {
    const out = { micros: -1, nanos: -1 };
    expect(hrTimeToSplit([2, 3_004], out)).toBe(out);
    expect(out).toEqual({ micros: 2_000_003, nanos: 4 });
  });
});
