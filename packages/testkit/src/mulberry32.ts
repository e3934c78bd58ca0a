/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence of floats in [0, 1) on
 * every machine, so synthetic data, kill moments and fuzz cases are reproducible.
 * @example const next = mulberry32(42); next(); // always the same first value for seed 42
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
