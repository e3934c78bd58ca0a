import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonFieldReader } from './json-field-reader.ts';

/** JSON number texts: plain integers (the fast path, up to and past 15 digits), fractions and exponents. */
const numberText = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 18n }).map(String),
  fc.nat().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.tuple(fc.nat({ max: 999 }), fc.nat({ max: 99 })).map(([a, b]) => `${a}e${b}`),
);

describe('JsonFieldReader numbers', () => {
  it('reads every JSON number as JSON.parse does, and reads it whole', () => {
    fc.assert(
      fc.property(numberText, (text) => {
        const r = new JsonFieldReader(`${text},`);
        expect(r.optionalDouble('v')).toBe(JSON.parse(text));
        expect(r.pos).toBe(text.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads unsigned 64-bit counts exactly below 2^53 and flags larger ones', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (n) => {
        const r = new JsonFieldReader(`${n}]`);
        expect(r.uint64('count')).toBe(n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : -1);
        expect(r.problem).toBe('');
        expect(r.pos).toBe(String(n).length);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps refusing what is not an integer of the field, with the same message', () => {
    expect(new JsonFieldReader('4294967296').int32('flags')).toBe(0);
    const big = new JsonFieldReader('4294967296');
    big.int32('flags');
    expect(big.problem).toBe('flags must be a 32-bit integer');
    expect(new JsonFieldReader('4294967295').int32('flags')).toBe(4294967295);
    expect(new JsonFieldReader('-7').int32('scale')).toBe(-7);
    expect(new JsonFieldReader('1.5').uint64('count')).toBe(0);
    expect(new JsonFieldReader('012').optionalDouble('v')).toBe(0);
  });
});
