import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinNanos, splitNanos, splitNanoWords } from './split-nanos.ts';

/** Largest unix-nanosecond value whose microseconds are still a safe integer (year 2255). */
const MAX_EXACT_NANOS = BigInt(Number.MAX_SAFE_INTEGER) * 1000n + 999n;
const TWO_32 = 2n ** 32n;

const words = (value: bigint) => [Number(value % TWO_32), Number(value / TWO_32)] as const;

/** Values near the places where the arithmetic carries: word and thousand boundaries, today, the maximum. */
const edges = fc.constantFrom(
  0n,
  1n,
  999n,
  1000n,
  TWO_32 - 1n,
  TWO_32,
  TWO_32 + 999n,
  TWO_32 * 1000n - 1n,
  TWO_32 * 1000n,
  1_704_164_645_123_456_789n,
  4_102_444_800_000_000_000n,
  MAX_EXACT_NANOS - 1000n,
  MAX_EXACT_NANOS,
);

describe('splitNanoWords', () => {
  it('splits every 64-bit value with an exactly representable microsecond part', () => {
    fc.assert(
      fc.property(fc.oneof(edges, fc.bigInt({ min: 0n, max: MAX_EXACT_NANOS })), (value) => {
        const [low, high] = words(value);
        const split = splitNanoWords(low, high);
        expect(split.micros).toBe(Number(value / 1000n));
        expect(split.nanos).toBe(Number(value % 1000n));
        expect(Number.isSafeInteger(split.micros)).toBe(true);
        expect(joinNanos(split.micros, split.nanos)).toBe(value);
      }),
      { numRuns: 5000 },
    );
  });

  it('fills and returns the given output object', () => {
    const out = { micros: -1, nanos: -1 };
    expect(splitNanoWords(0, 1, out)).toBe(out);
    expect(out).toEqual({ micros: 4_294_967, nanos: 296 });
  });
});

describe('splitNanos / joinNanos', () => {
  it('round-trips bigint nanoseconds', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_EXACT_NANOS }), (value) => {
        const split = splitNanos(value);
        expect(split.nanos).toBeGreaterThanOrEqual(0);
        expect(split.nanos).toBeLessThan(1000);
        expect(joinNanos(split.micros, split.nanos)).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with splitNanoWords', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_EXACT_NANOS }), (value) => {
        const [low, high] = words(value);
        expect(splitNanos(value)).toEqual(splitNanoWords(low, high));
      }),
    );
  });

  it('splits a known value', () => {
    expect(splitNanos(1_500n)).toEqual({ micros: 1, nanos: 500 });
    expect(joinNanos(1_704_164_645_123_456, 789)).toBe(1_704_164_645_123_456_789n);
  });
});
