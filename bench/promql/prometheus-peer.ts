import { spawnSync } from 'node:child_process';
import { startPrometheus } from '@duckside/testkit/prometheus';

/** A Prometheus 2.42 serving backfilled data on 127.0.0.1. */
export interface PrometheusPeer {
  url: string;
  /** Wall time of the promtool backfill, ms. */
  backfillMs: number;
  stop(): Promise<void>;
}

/**
 * Backfills an OpenMetrics file with `promtool tsdb create-blocks-from openmetrics` and starts `prometheus` on it
 * (testkit's `startPrometheus`: free loopback port, 100y retention, 5m lookback), with a sample limit large enough
 * for the week-long queries. Blocks are up to 162 h long (promtool's `--max-block-duration`): as a Prometheus that
 * has compacted a week of data, instead of 84 two-hour blocks, and one parse of the file per block rather than per
 * two hours.
 * @example const prom = await startPrometheusPeer('/tmp/data.om'); await prom.stop();
 */
export async function startPrometheusPeer(openMetricsFile: string): Promise<PrometheusPeer> {
  let backfillMs = 0;
  const server = await startPrometheus({
    args: ['--query.max-samples=500000000'],
    prepare(storage) {
      const started = performance.now();
      const backfill = spawnSync(
        'promtool',
        [
          'tsdb',
          'create-blocks-from',
          'openmetrics',
          '--quiet',
          '--max-block-duration=168h',
          openMetricsFile,
          storage,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      if (backfill.status !== 0) throw new Error(`promtool failed: ${backfill.stderr || backfill.stdout}`);
      backfillMs = performance.now() - started;
    },
  });
  return { url: server.url, backfillMs, stop: () => server.stop() };
}
