import { decodeAttributes } from '@duckside/core';
import { encodeAttributes } from '@duckside/core/ingest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesJson, doubleJson, hexOf, int64BigInt, int64Decimal, uint64Decimal } from './json-text.ts';

const words = (v: bigint) =>
  [Number(BigInt.asUintN(64, v) & 0xffffffffn), Number(BigInt.asUintN(64, v) >> 32n)] as const;

describe('json-text', () => {
  it('writes doubles exactly as core encodes them', () => {
    fc.assert(
      fc.property(fc.double(), (v) => {
        expect(`{"x":${doubleJson(v)}}`).toBe(encodeAttributes({ x: v }));
      }),
      { numRuns: 2000 },
    );
    for (const v of [0, 1, -1, 1e21, 1e300, 5e-324, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(`{"x":${doubleJson(v)}}`).toBe(encodeAttributes({ x: v }));
    }
  });

  it('writes bytes as core encodes them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const padded = new Uint8Array(bytes.length + 4);
        padded.set(bytes, 2);
        expect(`{"x":${bytesJson(padded.subarray(2, 2 + bytes.length))}}`).toBe(
          encodeAttributes({ x: bytes }),
        );
      }),
    );
  });

  it('turns 64-bit words into exact decimals and bigints', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const [lo, hi] = words(v);
        expect(int64Decimal(lo, hi)).toBe(v.toString());
        expect(int64BigInt(lo, hi)).toBe(v);
        expect(decodeAttributes(`{"v":${int64Decimal(lo, hi)}}`).v).toBe(v);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => {
        const [lo, hi] = words(v);
        expect(uint64Decimal(lo, hi)).toBe(v.toString());
      }),
      { numRuns: 2000 },
    );
    for (const v of [0n, -1n, 2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n)]) {
      expect(int64Decimal(...words(v))).toBe(v.toString());
    }
  });

  it('writes lowercase hex', () => {
    expect(hexOf(Uint8Array.from([0, 0xab, 0x0f, 0xff]), 1, 4)).toBe('ab0fff');
  });
});
