import { describe, expect, it } from 'vitest';
import { FlushPacer, MAX_ROWS_PER_FLUSH, MIN_ROWS_PER_FLUSH } from './flush-pacer.ts';

describe('FlushPacer', () => {
  it('starts at the minimum and doubles while flushes are cheap, up to the maximum', () => {
    const pacer = new FlushPacer();
    expect(pacer.rowsPerFlush('t')).toBe(MIN_ROWS_PER_FLUSH);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const rows = pacer.rowsPerFlush('t');
      seen.push(rows);
      pacer.observe('t', rows, 0.5);
    }
    expect(seen).toEqual([4096, 8192, 16_384, 32_768, 65_536, 65_536, 65_536, 65_536]);
    expect(pacer.rowsPerFlush('t')).toBe(MAX_ROWS_PER_FLUSH);
  });

  it('halves after a slow flush, keeps the size for flushes near the target, and never goes below the minimum', () => {
    const pacer = new FlushPacer();
    for (let i = 0; i < 3; i++) pacer.observe('t', pacer.rowsPerFlush('t'), 0.5);
    expect(pacer.rowsPerFlush('t')).toBe(32_768);
    pacer.observe('t', 32_768, 20);
    expect(pacer.rowsPerFlush('t')).toBe(16_384);
    pacer.observe('t', 16_384, 4);
    expect(pacer.rowsPerFlush('t')).toBe(16_384);
    for (let i = 0; i < 5; i++) pacer.observe('t', pacer.rowsPerFlush('t'), 50);
    expect(pacer.rowsPerFlush('t')).toBe(MIN_ROWS_PER_FLUSH);
  });

  it('learns per table, and ignores the short flush of a table end', () => {
    const pacer = new FlushPacer();
    pacer.observe('a', 4096, 0.5);
    pacer.observe('b', 100, 0.1);
    expect(pacer.rowsPerFlush('a')).toBe(8192);
    expect(pacer.rowsPerFlush('b')).toBe(MIN_ROWS_PER_FLUSH);
  });
});
