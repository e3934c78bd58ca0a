import { mulberry32 } from '@duckside/testkit';
import { snappyBlock } from '@duckside/testkit/prometheus';
import { describe, expect, it } from 'vitest';
import { uncompressSnappyBlock } from './snappy-block.ts';

/** Bytes with long repeats (copies, overlapping ones too) and random runs (literals), from a seed. */
function sample(seed: number, length: number): Buffer {
  const random = mulberry32(seed);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; ) {
    const run = 1 + Math.floor(random() * 300);
    if (random() < 0.5 && i > 8) {
      const back = 1 + Math.floor(random() * Math.min(i, 70_000));
      for (let j = 0; j < run && i < length; j++, i++) out[i] = out[i - back] as number;
    } else for (let j = 0; j < run && i < length; j++, i++) out[i] = Math.floor(random() * 256);
  }
  return out;
}

describe('uncompressSnappyBlock', () => {
  it('decodes what snappyjs encodes (literals, 1- and 2-byte offset copies, overlaps)', () => {
    for (const [seed, length] of [
      [1, 0],
      [2, 1],
      [3, 100],
      [4, 70_000],
      [5, 150_000],
    ] as const) {
      const data = sample(seed, length);
      expect(Buffer.from(uncompressSnappyBlock(snappyBlock(data), 1 << 20))).toEqual(data);
    }
    const runs = Buffer.alloc(100_000, 7);
    expect(Buffer.from(uncompressSnappyBlock(snappyBlock(runs), 1 << 20))).toEqual(runs);
  });

  it('decodes 4-byte offset copies and long literals (which snappyjs does not write)', () => {
    // 8 bytes: literal "abcd" (tag 0x0c), then copy 4 bytes from offset 4 with a 4-byte offset (tag 0x0f).
    const copy4 = Buffer.from([8, 0x0c, 0x61, 0x62, 0x63, 0x64, 0x0f, 4, 0, 0, 0]);
    expect(Buffer.from(uncompressSnappyBlock(copy4, 100)).toString()).toBe('abcdabcd');
    // A 100-byte literal with a one-byte length (tag 60 << 2, length - 1 = 99).
    const text = Buffer.alloc(100, 0x41);
    const literal = Buffer.concat([Buffer.from([100, 60 << 2, 99]), text]);
    expect(Buffer.from(uncompressSnappyBlock(literal, 100))).toEqual(text);
  });

  it('refuses truncated, overlong and corrupt blocks, and blocks declaring more than the limit', () => {
    const block = snappyBlock(sample(9, 5000));
    expect(() => uncompressSnappyBlock(block.subarray(0, block.length - 1), 1 << 20)).toThrow(
      /invalid snappy block/,
    );
    const longer = Buffer.from(block);
    longer[0] = (longer[0] as number) + 1;
    expect(() => uncompressSnappyBlock(longer, 1 << 20)).toThrow(/instead of the declared/);
    expect(() => uncompressSnappyBlock(Buffer.from([5, 0x01, 0x09]), 1 << 20)).toThrow(/copy offset outside/);
    expect(() => uncompressSnappyBlock(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 1 << 20)).toThrow(
      /bad length preamble/,
    );
    expect(() => uncompressSnappyBlock(block, 4999)).toThrow(/exceeds the limit of 4999 bytes/);
  });
});
