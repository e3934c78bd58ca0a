import { loadavg } from 'node:os';

/** The 1-minute load average over a run: other work on the machine skews every figure. */
export interface LoadSummary {
  start: number;
  mean: number;
  max: number;
  samples: number;
}

/**
 * Samples the 1-minute load average every `everyMs` until `stop()` returns the summary.
 * @example const load = sampleLoad(); await work(); const { mean, max } = load.stop();
 */
export function sampleLoad(everyMs = 5000): { stop(): LoadSummary } {
  const values = [loadavg()[0] ?? 0];
  const timer = setInterval(() => values.push(loadavg()[0] ?? 0), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      values.push(loadavg()[0] ?? 0);
      return {
        start: values[0] ?? 0,
        mean: values.reduce((a, b) => a + b, 0) / values.length,
        max: Math.max(...values),
        samples: values.length,
      };
    },
  };
}
