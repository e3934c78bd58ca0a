import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteBigIntegers } from './quote-big-integers.ts';

describe('quoteBigIntegers', () => {
  it('quotes bare integers of 16 or more digits and nothing else', () => {
    expect(quoteBigIntegers('{"a":9007199254740993,"b":[1,-12345678901234567],"c":1.5}')).toBe(
      '{"a":"9007199254740993","b":[1,"-12345678901234567"],"c":1.5}',
    );
    expect(quoteBigIntegers('{"s":"x:12345678901234567","t":"1544712660300000000"}')).toBe(
      '{"s":"x:12345678901234567","t":"1544712660300000000"}',
    );
    expect(
      quoteBigIntegers('{"d":1.12345678901234567,"e":12345678901234567e3,"f":1e12345678901234567}'),
    ).toBe('{"d":1.12345678901234567,"e":12345678901234567e3,"f":1e12345678901234567}');
    expect(quoteBigIntegers('{"q":"a\\"b:12345678901234567", "n" : 12345678901234567 }')).toBe(
      '{"q":"a\\"b:12345678901234567", "n" : "12345678901234567" }',
    );
  });

  it('keeps every digit of any 64-bit integer through JSON.parse', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), fc.string(), (v, s) => {
        const parsed = JSON.parse(quoteBigIntegers(JSON.stringify({ s, v: 0 }).replace(/0}$/, `${v}}`)));
        expect(BigInt(parsed.v)).toBe(v);
        expect(parsed.s).toBe(s);
      }),
    );
  });
});
