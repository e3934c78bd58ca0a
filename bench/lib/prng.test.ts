import { describe, expect, it } from 'vitest';
import { cumulativeWeights, Prng } from './prng.ts';

describe('Prng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const rng = new Prng(1);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]++;
    }
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it('picks indices in proportion to the weights', () => {
    const rng = new Prng(3);
    const cdf = cumulativeWeights([1, 3]);
    expect([...cdf]).toEqual([0.25, 1]);
    let ones = 0;
    for (let i = 0; i < 40_000; i++) ones += rng.pick(cdf);
    expect(ones / 40_000).toBeCloseTo(0.75, 1);
  });
});
