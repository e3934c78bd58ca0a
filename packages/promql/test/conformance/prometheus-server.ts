import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, onExit, tempDir } from '@duckside/testkit';

/** A throwaway Prometheus on 127.0.0.1 holding backfilled data. */
export interface PrometheusServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Backfills OpenMetrics text with `promtool tsdb create-blocks-from openmetrics` into a temp folder and starts
 * Prometheus on it (own config, free loopback port, 100y retention so old test data stays).
 * @example const prom = await startPrometheus(text); await fetch(`${prom.url}/api/v1/query?query=up`);
 */
export async function startPrometheus(openMetrics: string): Promise<PrometheusServer> {
  const dir = await tempDir('promql-conformance-');
  const input = join(dir.path, 'data.om');
  const storage = join(dir.path, 'tsdb');
  const config = join(dir.path, 'prometheus.yml');
  writeFileSync(input, openMetrics);
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n  evaluation_interval: 1m\n');
  const backfill = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, storage], {
    encoding: 'utf8',
  });
  if (backfill.status !== 0) throw new Error(`promtool failed: ${backfill.stderr || backfill.stdout}`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${storage}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--query.lookback-delta=5m',
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
    await dir.remove();
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`prometheus did not become ready: ${log}`);
}
