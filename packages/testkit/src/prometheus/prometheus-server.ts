import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onExit } from '../exit-cleanup.ts';
import { freePort } from '../free-port.ts';
import { tempDir } from '../temp-dir.ts';

/** A throwaway Prometheus (Debian's `prometheus`, 2.42 here) on 127.0.0.1. */
export interface PrometheusServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its temp folder (config, `tsdb/`), removed by {@link stop}. */
  readonly dir: string;
  /** The last 4000 characters it logged. */
  log(): string;
  /** Stops it (SIGTERM, waiting for its exit) and removes its folder. */
  stop(): Promise<void>;
}

/** How to start a {@link PrometheusServer}. */
export interface PrometheusOptions {
  /** `prometheus.yml` text (default: a global section only, no scrape jobs). */
  config?: string;
  /** Called with the TSDB path before the start (e.g. to backfill with promtool). */
  prepare?: (tsdbPath: string) => void | Promise<void>;
  /** More command-line flags. */
  args?: readonly string[];
}

const DEFAULT_CONFIG = 'global:\n  scrape_interval: 15s\n  evaluation_interval: 1m\n';

/**
 * Starts Prometheus in a fresh temp folder with its own config, on a free loopback port, 100y retention (old
 * test data stays) and a 5 m lookback; resolves once `/-/ready` answers. Killed at process exit at the latest.
 * @example
 * const prom = await startPrometheus({ config: 'scrape_configs: []\n' });
 * await fetch(`${prom.url}/api/v1/query?query=1`); await prom.stop();
 */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const dir = await tempDir('prometheus-');
  const storage = join(dir.path, 'tsdb');
  const config = join(dir.path, 'prometheus.yml');
  writeFileSync(config, options.config ?? DEFAULT_CONFIG);
  try {
    await options.prepare?.(storage);
  } catch (error) {
    await dir.remove();
    throw error;
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${storage}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--query.lookback-delta=5m',
      ...(options.args ?? []),
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
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await dir.remove();
  };
  // Up to a minute: opening a week of backfilled blocks takes a while on a busy machine.
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited: ${log}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, dir: dir.path, log: () => log, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`prometheus did not become ready: ${log}`);
}
