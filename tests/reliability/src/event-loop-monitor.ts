/**
 * Test-only preload for the sidecar process (`node --import <this file>`): measures the event loop's delay with
 * `perf_hooks.monitorEventLoopDelay` and, on SIGUSR2, appends the figures since the previous SIGUSR2 as one JSON
 * line to `$DUCKSIDE_LAG_FILE` and starts a new window. The sidecar itself is not modified; `/metrics` has no
 * event-loop gauge. (`bin.ts` re-executes itself with the same Node flags, so the server process has it too.)
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.DUCKSIDE_LAG_FILE;
/** Sampling interval: the histogram records the time between samples, so the lag is that minus this. */
const RESOLUTION_MS = 10;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  process.on('SIGUSR2', () => {
    const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    const line = {
      pid: process.pid,
      at: Date.now(),
      count: histogram.count,
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    histogram.reset();
  });
}
