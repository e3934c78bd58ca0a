/** Timings of repeated runs of one workload, in milliseconds. */
export interface Timings {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/**
 * Median of a list of numbers (mean of the middle two for an even count).
 * @example median([3, 1, 2]) // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The `q` quantile (0..1) of a list by nearest rank.
 * @example quantile([1, 2, 3, 4], 0.5) // 2
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Milliseconds `fn` takes.
 * @example const ms = await timeMs(() => db.flush());
 */
export async function timeMs(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Runs `fn` once to warm caches, then `runs` times, and returns the timings.
 * @example const t = await repeat(5, () => db.execute(query)); t.median
 */
export async function repeat(runs: number, fn: () => Promise<unknown>): Promise<Timings> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeMs(fn));
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), runs: times };
}
