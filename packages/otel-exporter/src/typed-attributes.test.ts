import { decodeAttributes } from '@duckside/core';
import { encodeAttributes } from '@duckside/core/ingest';
import { describe, expect, it } from 'vitest';
import { attributesColumn, toTypedAttributes, toTypedValue } from './typed-attributes.ts';

describe('toTypedValue', () => {
  it('types numbers as the OTLP serializers do: integral within int64 -> int, else double', () => {
    expect(toTypedValue(3)).toBe(3n);
    expect(toTypedValue(-0)).toBe(0n);
    expect(toTypedValue(2 ** 62)).toBe(2n ** 62n);
    expect(toTypedValue(-(2 ** 63))).toBe(-(2n ** 63n));
    expect(toTypedValue(2 ** 63)).toBe(2 ** 63);
    expect(toTypedValue(0.5)).toBe(0.5);
    expect(toTypedValue(Number.NaN)).toBeNaN();
    expect(toTypedValue(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps strings, booleans and bytes; recurses into arrays and kvlists; empties the rest', () => {
    const bytes = new Uint8Array([1, 2, 255]);
    expect(toTypedValue('x')).toBe('x');
    expect(toTypedValue(false)).toBe(false);
    expect(toTypedValue(bytes)).toBe(bytes);
    expect(toTypedValue([1, 'a', null, undefined, 1.5])).toEqual([1n, 'a', null, null, 1.5]);
    expect(toTypedValue({ depth: 2, inner: { ok: true } })).toEqual({ depth: 2n, inner: { ok: true } });
    expect(toTypedValue(undefined)).toBeNull();
    expect(toTypedValue(() => 1)).toBeNull();
    expect(toTypedValue(5n)).toBeNull();
  });
});

describe('toTypedAttributes', () => {
  it('keeps own keys only and keeps undefined values as empty values', () => {
    const proto = { inherited: 1 };
    const attributes = Object.assign(Object.create(proto) as Record<string, unknown>, {
      own: 2,
      gone: undefined,
    });
    expect(toTypedAttributes(attributes)).toEqual({ own: 2n, gone: null });
    expect(toTypedAttributes(undefined)).toEqual({});
  });
});

describe('attributesColumn', () => {
  const cases: Record<string, unknown>[] = [
    {},
    { symbol: 'BTC/USD', venue: 'alpaca' },
    { depth: 3, neg: -7, zero: -0, big: Number.MAX_SAFE_INTEGER, ok: true, off: false },
    { 'quote"key': 'line\nbreak', unicode: 'é✓' },
    { ratio: 0.25, whole: 2 ** 60, tags: ['a', 'b'], nested: { x: 1 } },
    { missing: undefined, nan: Number.NaN, bytes: new Uint8Array([0, 1]) },
  ];

  it('produces exactly encodeAttributes(toTypedAttributes(x)) on the fast and the general path', () => {
    for (const attributes of cases) {
      expect(attributesColumn(attributes)).toBe(encodeAttributes(toTypedAttributes(attributes)));
    }
  });

  it('round-trips through decodeAttributes with OTLP typing', () => {
    expect(decodeAttributes(attributesColumn({ depth: 3, ratio: 0.5, whole: 2 ** 60 }))).toEqual({
      depth: 3n,
      ratio: 0.5,
      whole: 2n ** 60n,
    });
  });
});
