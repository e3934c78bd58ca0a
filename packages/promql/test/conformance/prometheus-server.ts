import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PrometheusServer, startPrometheus as startServer } from '@duckside/testkit/prometheus';

export type { PrometheusServer };

/**
 * Backfills OpenMetrics text with `promtool tsdb create-blocks-from openmetrics` and starts a throwaway
 * Prometheus on it (testkit's `startPrometheus`: own config, free loopback port, 100y retention).
 * @example const prom = await startPrometheus(text); await fetch(`${prom.url}/api/v1/query?query=up`);
 */
export function startPrometheus(openMetrics: string): Promise<PrometheusServer> {
  return startServer({
    prepare(storage) {
      const input = join(storage, '..', 'data.om');
      writeFileSync(input, openMetrics);
      const backfill = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, storage], {
        encoding: 'utf8',
      });
      if (backfill.status !== 0) throw new Error(`promtool failed: ${backfill.stderr || backfill.stdout}`);
    },
  });
}
