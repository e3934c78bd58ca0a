import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, onExit } from '@duckside/testkit';

/** A Prometheus 2.42 serving backfilled data on 127.0.0.1. */
export interface PrometheusPeer {
  url: string;
  /** Wall time of the promtool backfill, ms. */
  backfillMs: number;
  stop(): Promise<void>;
}

/**
 * Backfills an OpenMetrics file into `dir/tsdb` with `promtool tsdb create-blocks-from openmetrics` and starts
 * `prometheus` on it (free loopback port, 100y retention, 5m lookback). Blocks are up to 162 h long (promtool's
 * `--max-block-duration`): as a Prometheus that has compacted a week of data, instead of 84 two-hour blocks,
 * and one parse of the file per block rather than per two hours.
 * @example const prom = await startPrometheusPeer('/tmp/data.om', '/tmp/prom'); await prom.stop();
 */
export async function startPrometheusPeer(openMetricsFile: string, dir: string): Promise<PrometheusPeer> {
  const storage = join(dir, 'tsdb');
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n  evaluation_interval: 1m\n');
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
  const backfillMs = performance.now() - started;
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${storage}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--query.lookback-delta=5m',
      '--query.max-samples=500000000',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const forget = onExit(() => child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    forget();
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  };
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, backfillMs, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`prometheus did not become ready: ${log}`);
}
