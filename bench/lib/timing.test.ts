import { describe, expect, it } from 'vitest';
import { interleavedRuns } from './interleaved-runs.ts';
import { median, quantile } from './timing.ts';

describe('timing helpers', () => {
  it('median of odd and even counts, quantile by nearest rank', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.99)).toBe(4);
  });

  it('interleavedRuns warms up once, then alternates the variants, rotating who goes first', async () => {
    const calls: string[] = [];
    const timings = await interleavedRuns(2, [async () => calls.push('a'), async () => calls.push('b')]);
    expect(calls).toEqual(['a', 'b', 'a', 'b', 'b', 'a']);
    expect(timings).toHaveLength(2);
    expect(timings[0]?.runs).toHaveLength(2);
  });
});
