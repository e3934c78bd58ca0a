import { mulberry32 } from '@duckside/testkit';

/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every machine,
 * so every engine in a run, and every run, sees the same synthetic rows.
 * @example
 * const rng = new Prng(42);
 * rng.next(); // 0 <= x < 1, always the same first value for seed 42
 */
export class Prng {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Approximately standard normal (sum of four uniforms, rescaled): cheap and bounded to about ±3.5. */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508075688772;
  }

  /** Index drawn from cumulative weights (`cumulative` ascending, last entry 1). */
  pick(cumulative: Float64Array): number {
    const u = this.next();
    let i = 0;
    while (i < cumulative.length - 1 && u >= (cumulative[i] as number)) i++;
    return i;
  }
}

/**
 * Cumulative distribution of weights, for {@link Prng.pick}.
 * @example cumulativeWeights([1, 3]) // Float64Array [0.25, 1]
 */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum / total;
  });
  out[weights.length - 1] = 1;
  return out;
}
