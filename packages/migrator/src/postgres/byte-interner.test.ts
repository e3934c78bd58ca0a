import { describe, expect, it } from 'vitest';
import { ByteInterner } from './byte-interner.ts';

describe('ByteInterner', () => {
  it('gives equal byte strings one id and decodes each once', () => {
    const buffer = Buffer.from('abc|xyz|abc|ab|é|abc');
    const interner = new ByteInterner();
    const ids = [
      [0, 3],
      [4, 3],
      [8, 3],
      [12, 2],
      [15, 2],
      [18, 3],
    ].map(([start, length]) => interner.intern(buffer, start as number, length as number));
    expect(ids).toEqual([0, 1, 0, 2, 3, 0]);
    expect([0, 1, 2, 3].map((id) => interner.text(id))).toEqual(['abc', 'xyz', 'ab', 'é']);
    expect(interner.size).toBe(4);
  });

  it('tells apart many distinct values', () => {
    const interner = new ByteInterner();
    const texts = Array.from({ length: 5000 }, (_, i) => `order-${i}`);
    const ids = texts.map((t) => interner.intern(Buffer.from(t), 0, Buffer.byteLength(t)));
    expect(new Set(ids).size).toBe(5000);
    expect(interner.intern(Buffer.from('order-42'), 0, 8)).toBe(42);
  });
});
