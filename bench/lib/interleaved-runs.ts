import { median, type Timings, timeMs } from './timing.ts';

/**
 * Times several variants of one workload fairly on a noisy machine: each variant runs once to warm up, then
 * the variants take turns `runs` times (the first of each round rotating), so that background load hits them
 * alike. Returns one `Timings` per variant, in the order given.
 * @example const [api, raw] = await interleavedRuns(5, [() => db.execute(q), () => rawQuery(sql)]);
 */
export async function interleavedRuns(
  runs: number,
  variants: readonly (() => Promise<unknown>)[],
): Promise<Timings[]> {
  for (const fn of variants) await fn();
  const times: number[][] = variants.map(() => []);
  for (let r = 0; r < runs; r++) {
    // Rotate who goes first, so that no variant always pays for the garbage or cache state the other left.
    for (let i = 0; i < variants.length; i++) {
      const v = (i + r) % variants.length;
      times[v]!.push(await timeMs(variants[v]!));
    }
  }
  return times.map((t) => ({ median: median(t), min: Math.min(...t), max: Math.max(...t), runs: t }));
}
