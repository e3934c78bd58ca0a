import { describe, expect, it } from 'vitest';
import { encodeMessage, lengthHeader, nest, varint } from './proto-writer.ts';

describe('proto-writer', () => {
  it('encodes varints and fields like protoc', () => {
    expect([...varint(300)]).toEqual([0xac, 0x02]);
    expect([...varint(2n ** 64n - 1n)]).toEqual([...Array(9).fill(0xff), 0x01]);
    // Field 1 string "hi", field 2 varint 1, field 3 double 1.
    expect([
      ...encodeMessage([
        [1, 'string', 'hi'],
        [2, 'varint', 1],
        [3, 'double', 1],
      ]),
    ]).toEqual([0x0a, 0x02, 0x68, 0x69, 0x10, 0x01, 0x19, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  });

  it('nests without re-copying and matches nested encodeMessage', () => {
    const leaf = encodeMessage([[1, 'string', 'x']]);
    const viaNest = nest(leaf, 3, (n) => lengthHeader(4, n));
    const viaEncode = encodeMessage([[4, 'message', [[4, 'message', [[4, 'message', leaf]]]]]]);
    expect(viaNest).toEqual(viaEncode);
  });
});
