/**
 * End-to-end benchmark of the OTLP/HTTP receiver: concurrent clients (in a separate process) send gzip
 * protobuf exports of 1,000 points over loopback to the `duckside` CLI (its own process, as deployed: thread-pool
 * launcher, default configuration) that commits them to a DuckDB file; reports points committed per second,
 * request latency (p50/p99) and the server's CPU use.
 * Run alone: `pnpm exec tsx --conditions=source bench/otlp-e2e.ts [--quick]`.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { compiled, Database } from '@duckside/core';
import {
  protobufBody,
  THOUSAND_POINTS,
  tradingExport,
  workloadPoints,
} from '../packages/sidecar/test/helpers/otel-workload.ts';
import type { BenchOptions, BenchSection } from './bench-section.ts';
import { formatBytes, formatCount, formatMs } from './lib/format.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { quantile } from './lib/timing.ts';

const TARGET_POINTS_PER_S = 250_000;

/** What the client process reports. */
interface ClientReport {
  ok: number;
  refused: number;
  failed: number;
  statuses: Record<string, number>;
  latenciesMs: number[];
  seconds: number;
}

interface RunShape {
  connections: number;
  warmupMs: number;
  durationMs: number;
}

/** Client process: `connections` keep-alive connections, each sending the same body back to back. */
async function clientMain(url: string, shape: RunShape, bodies: Buffer[]): Promise<ClientReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: shape.connections });
  const target = new URL(url);
  const report: ClientReport = { ok: 0, refused: 0, failed: 0, statuses: {}, latenciesMs: [], seconds: 0 };
  const post = (body: Buffer) =>
    new Promise<number>((resolve) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'gzip',
            'content-length': body.length,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });
  const started = performance.now();
  const warmEnd = started + shape.warmupMs;
  const end = warmEnd + shape.durationMs;
  const worker = async (id: number) => {
    for (let i = id; performance.now() < end; i += shape.connections) {
      const t0 = performance.now();
      const status = await post(bodies[i % bodies.length]!);
      const t1 = performance.now();
      if (t0 < warmEnd) continue;
      report.statuses[status] = (report.statuses[status] ?? 0) + 1;
      if (status === 200) {
        report.ok++;
        report.latenciesMs.push(t1 - t0);
      } else if (status === 503 || status === 429) report.refused++;
      else report.failed++;
    }
  };
  await Promise.all(Array.from({ length: shape.connections }, (_, i) => worker(i)));
  report.seconds = (performance.now() - warmEnd) / 1000;
  agent.destroy();
  return report;
}

/** gzip protobuf bodies of the 1,000-point workload, each with its own timestamps. */
function buildBodies(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    gzipSync(protobufBody(tradingExport(THOUSAND_POINTS, i + 1))),
  );
}

async function countPoints(path: string): Promise<number> {
  await using db = await Database.open({ path });
  const rows = await db.all(
    compiled<{ n: number }>(
      `SELECT (SELECT count(*) FROM trading_metrics) + (SELECT count(*) FROM otel_histograms) +
        (SELECT count(*) FROM otel_exp_histograms) + (SELECT count(*) FROM otel_summaries) AS n`,
      [],
    ),
  );
  return Number(rows[0]?.n ?? 0);
}

/** A running `duckside` CLI. */
interface CliServer {
  child: ChildProcess;
  pid: number;
  /** Base URL, from its `listening` log line. */
  url: string;
}

/** Starts the `duckside` CLI on a free port of 127.0.0.1 over the file `path`. */
async function startCli(path: string): Promise<CliServer> {
  const bin = fileURLToPath(new URL('../packages/sidecar/src/bin.ts', import.meta.url));
  const args = ['--port', '0', '--db', path, '--log-format', 'json', '--log-level', 'info'];
  for (const plugin of ['retention', 'dashboard']) args.push('--disable-plugin', plugin);
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', bin, ...args], {
    env: { ...process.env, UV_THREADPOOL_SIZE: '16' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`duckside exited with ${code} before listening`)));
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening' && entry.url) resolve(entry.url);
    });
  });
  return { child, pid: child.pid!, url };
}

/** Stops the CLI with SIGTERM (graceful: flush, checkpoint, close) and waits for it to exit. */
async function stopCli(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

/** CPU seconds (user + system, all threads) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function runClient(url: string, shape: RunShape): Promise<ClientReport> {
  const child = fork(fileURLToPath(import.meta.url), ['--client', url, JSON.stringify(shape)], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as ClientReport));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the client process exited with ${code}`));
    });
  });
}

/** Runs the benchmark: `quick` sends for 5 s per concurrency level, otherwise 20 s. */
export async function run(options: BenchOptions): Promise<BenchSection> {
  const durationMs = options.quick ? 5_000 : 20_000;
  const levels = options.quick ? [8] : [4, 16];
  const points = workloadPoints(THOUSAND_POINTS);
  const sample = buildBodies(1)[0]!;
  const rows: string[][] = [];
  const results: Record<string, number> = {};
  const load = loadavg()[0] ?? 0;
  for (const connections of levels) {
    const dir = mkdtempSync(join(tmpdir(), 'duckside-bench-otlp-'));
    const path = join(dir, 'otlp.duckdb');
    const server = await startCli(path);
    try {
      const cpuBefore = cpuSeconds(server.pid);
      const report = await runClient(`${server.url}/v1/metrics`, {
        connections,
        warmupMs: 2_000,
        durationMs,
      });
      const cpu = cpuSeconds(server.pid) - cpuBefore;
      await stopCli(server.child);
      const stored = await countPoints(path);
      const committedPerS = (report.ok * points) / report.seconds;
      const p50 = quantile(report.latenciesMs, 0.5);
      const p99 = quantile(report.latenciesMs, 0.99);
      if (stored < report.ok * points) {
        throw new Error(`acknowledged ${report.ok * points} points but stored ${stored}`);
      }
      rows.push([
        String(connections),
        formatCount(report.ok),
        formatCount(report.refused + report.failed),
        formatCount(committedPerS),
        formatMs(p50),
        formatMs(p99),
        `${((cpu / (report.seconds + 2)) * 100).toFixed(0)}%`,
      ]);
      results[`otlp_e2e.c${connections}_points_per_s`] = committedPerS;
      results[`otlp_e2e.c${connections}_p50_ms`] = p50;
      results[`otlp_e2e.c${connections}_p99_ms`] = p99;
      results[`otlp_e2e.c${connections}_non_200`] = report.refused + report.failed;
      results[`otlp_e2e.c${connections}_server_cpu_cores`] = cpu / (report.seconds + 2);
    } finally {
      await stopCli(server.child);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const best = Math.max(...levels.map((c) => results[`otlp_e2e.c${c}_points_per_s`] ?? 0));
  results['otlp_e2e.points_per_s'] = best;
  const markdown = [
    markdownTable(
      [
        'Connections',
        '>200 responses',
        '>Refused/failed',
        '>Points committed/s',
        '>p50 ms',
        '>p99 ms',
        '>Server CPU',
      ],
      rows,
    ),
    '',
    `Workload: each request is one SDK export of ${formatCount(points)} points (8 gauges, 8 sums, 4 histograms × ` +
      `50 series; written by the SDK's protobuf serializer, gzip ${formatBytes(sample.length)} on the wire), ` +
      'sent back to back on keep-alive connections by a separate client process over 127.0.0.1 to the `duckside` ' +
      'CLI in its own process (UV_THREADPOOL_SIZE=16, default configuration, retention and dashboard plugins ' +
      'off), which commits every request to a ' +
      `DuckDB file before answering 200. ${durationMs / 1000} s measured after a 2 s warm-up; points/s counts ` +
      'acknowledged points only (the stored row count is checked after the server stops). Server CPU is the ' +
      `sidecar process's CPU time, all threads, over warm-up and run (100% = one core of ${cpus().length}). Target: ≥ ` +
      `${formatCount(TARGET_POINTS_PER_S)} points/s; best here ${formatCount(best)}. 1-minute load average at ` +
      `start: ${load.toFixed(1)}.`,
  ].join('\n');
  return { title: 'OTLP end to end (gzip protobuf over loopback into a DuckDB file)', markdown, results };
}

if (process.argv.includes('--client')) {
  const at = process.argv.indexOf('--client');
  const url = process.argv[at + 1]!;
  const shape = JSON.parse(process.argv[at + 2]!) as RunShape;
  const report = await clientMain(url, shape, buildBodies(4));
  process.send?.(report, () => process.exit(0));
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  console.log(`## ${section.title}\n\n${section.markdown}`);
}
