import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Attributes,
  type AttributeValue,
  decodeAttributes,
  decodeAttributeValue,
  encodeAnyValue,
  encodeAttributes,
} from './attributes.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const attributeValue: fc.Arbitrary<AttributeValue> = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.boolean(),
    fc.double(),
    fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
    fc.uint8Array({ maxLength: 32 }),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

const attributes: fc.Arbitrary<Attributes> = fc.dictionary(fc.string(), attributeValue, {
  maxKeys: 6,
  noNullPrototype: true,
});

describe('encodeAttributes / decodeAttributes', () => {
  it('round-trips any typed attribute set (ints stay bigint, doubles stay number, bytes stay bytes)', () => {
    fc.assert(
      fc.property(attributes, (value) => {
        expect(decodeAttributes(encodeAttributes(value))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('writes JSON that a standard parser reads, ints without a fraction and doubles with one', () => {
    const text = encodeAttributes({
      exchange: 'alpaca',
      depth: 3n,
      price: 2,
      ratio: 0.5,
      ok: true,
      none: null,
    });
    expect(text).toBe('{"exchange":"alpaca","depth":3,"price":2.0,"ratio":0.5,"ok":true,"none":null}');
    expect(JSON.parse(text)).toEqual({
      exchange: 'alpaca',
      depth: 3,
      price: 2,
      ratio: 0.5,
      ok: true,
      none: null,
    });
  });

  it('keeps the int/double distinction of equal numbers', () => {
    const decoded = decodeAttributes(encodeAttributes({ i: 1n, d: 1 }));
    expect(decoded.i).toBe(1n);
    expect(decoded.d).toBe(1);
  });

  it('keeps int64 extremes exactly', () => {
    const decoded = decodeAttributes(encodeAttributes({ lo: INT64_MIN, hi: INT64_MAX }));
    expect(decoded).toEqual({ lo: INT64_MIN, hi: INT64_MAX });
  });

  it('keeps non-finite doubles and negative zero', () => {
    const decoded = decodeAttributes(
      encodeAttributes({ nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ninf: -Infinity, nz: -0 }),
    );
    expect(decoded.nan).toBeNaN();
    expect(decoded.inf).toBe(Number.POSITIVE_INFINITY);
    expect(decoded.ninf).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(decoded.nz, -0)).toBe(true);
  });

  it('keeps bytes, nested arrays and kvlists', () => {
    const value: Attributes = {
      bytes: new Uint8Array([0, 1, 254, 255]),
      list: [1n, 'two', [3.5, false]],
      kv: { inner: { deeper: new Uint8Array([]) } },
    };
    const decoded = decodeAttributes(encodeAttributes(value));
    expect(decoded.bytes).toBeInstanceOf(Uint8Array);
    expect(decoded).toEqual(value);
  });

  it('keeps a key named __proto__ as data (no prototype change)', () => {
    const value = JSON.parse('{"__proto__":"x","a":"b"}') as Attributes;
    const decoded = decodeAttributes(encodeAttributes(value));
    expect(Object.keys(decoded)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    const nested = decodeAttributes('{"__proto__":{"polluted":"yes"}}');
    expect((nested as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(nested)).toEqual(['__proto__']);
  });

  it('keeps unicode keys and values, quotes and control characters', () => {
    const value: Attributes = { 'ключ "q"': 'значение\n\t\u0000🚀', '\u202e': '\\"' };
    expect(decodeAttributes(encodeAttributes(value))).toEqual(value);
  });

  it('replaces lone surrogates with U+FFFD, so that the text is valid JSON for DuckDB', () => {
    const text = encodeAttributes({ '\uD800key': ['\uDC00', 'ok \uD83D\uDE80'] });
    expect(text).not.toMatch(/\\ud[89a-f]/i);
    expect(decodeAttributes(text)).toEqual({ '\uFFFDkey': ['\uFFFD', 'ok \uD83D\uDE80'] });
  });

  it('encodes a missing set as an empty object and decodes empty text to {}', () => {
    expect(encodeAttributes(undefined)).toBe('{}');
    expect(decodeAttributes('')).toEqual({});
    expect(decodeAttributes(null)).toEqual({});
    expect(decodeAttributes(' { } ')).toEqual({});
  });

  it('refuses text that is not a JSON object', () => {
    expect(() => decodeAttributes('[1]')).toThrow(SyntaxError);
    expect(() => decodeAttributes('{"a":1} x')).toThrow(SyntaxError);
    expect(() => decodeAttributes('{"a" 1}')).toThrow(SyntaxError);
    expect(() => decodeAttributes('{"a":@}')).toThrow(SyntaxError);
  });
});

describe('encodeAnyValue', () => {
  it('encodes one value as attribute values are encoded, and decodes back', () => {
    const value: AttributeValue = [1n, 'a', 0.5, 2, { k: new Uint8Array([1]) }, null, true];
    expect(encodeAnyValue(value)).toBe('[1,"a",0.5,2.0,{"k":{"$base64":"AQ=="}},null,true]');
    expect(decodeAttributeValue(encodeAnyValue(value))).toEqual(value);
    expect(encodeAnyValue('text')).toBe('"text"');
  });
});
