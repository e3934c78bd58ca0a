import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long {@link waitForQuietCpu} waited and how busy the machine was when it stopped waiting. */
export interface QuietWait {
  waitedMs: number;
  /** Fraction (0..1) of all cores busy in the last window. */
  busy: number;
  quiet: boolean;
}

/** Busy and total CPU time of all cores so far (from `os.cpus()`). */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/**
 * Waits until the machine's CPUs are at most `threshold` busy over a `windowMs` window (or `timeoutMs` passed):
 * work a previous benchmark section left behind (a PostgreSQL shutdown checkpoint, DuckDB's background threads)
 * would otherwise slow the next section down, per-CPU-second figures included (caches and memory bandwidth are
 * shared).
 * @example const { waitedMs, busy } = await waitForQuietCpu();
 */
export async function waitForQuietCpu(
  options: { threshold?: number; windowMs?: number; timeoutMs?: number } = {},
): Promise<QuietWait> {
  const { threshold = 0.15, windowMs = 1000, timeoutMs = 30_000 } = options;
  const started = performance.now();
  for (;;) {
    const before = cpuTimes();
    await sleep(windowMs);
    const after = cpuTimes();
    const busy = (after.busy - before.busy) / Math.max(1, after.total - before.total);
    const waitedMs = performance.now() - started;
    if (busy <= threshold || waitedMs >= timeoutMs) return { waitedMs, busy, quiet: busy <= threshold };
  }
}
