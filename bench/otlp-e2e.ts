/**
 * End-to-end benchmark of the OTLP/HTTP receiver: concurrent clients (in a separate process) send gzip
 * protobuf exports of 1,000 points over loopback to the `duckside` CLI (its own process, as deployed: thread-pool
 * launcher, default configuration) that commits them to a DuckDB file; reports points committed per second,
 * request latency (p50/p99) and the server's CPU use. Its peer, measured in the same run before and after each
 * level: core's own bulk ingest of the same points (bodies built as the client's, decoded beforehand, 100,000 points per
 * `db.writeMetricBatch`) into a fresh file in this process. Target: end to end >= 0.8x the bulk ingest.
 * Run alone: `pnpm exec tsx --conditions=source bench/otlp-e2e.ts [--quick] [--forward-only]`. The forwarding case
 * (with one upstream forwarder vs without, target >= 0.8x) is in `otlp-forward.ts`.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { compiled, Database } from '@duckside/core';
import { decodeProtobufMetrics } from '@duckside/sidecar/otlp';
import { protobufBody, THOUSAND_POINTS, tradingExport, workloadPoints } from '@duckside/testkit/otlp';
import type { BenchOptions, BenchSection } from './bench-section.ts';
import { formatBytes, formatCount, formatMs, formatRatio } from './lib/format.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { type RatioTarget, ratioResults, targetCell } from './lib/ratio-target.ts';
import { standaloneMarkdown } from './lib/standalone-markdown.ts';
import { quantile, timeMs } from './lib/timing.ts';
import { forwardingComparison } from './otlp-forward.ts';

/** Target (issue 20): points committed/s end to end ÷ core's bulk ingest of the same points. */
const TARGET_RATIO = 0.8;
/** Requests whose points the bulk peer writes in one `db.writeMetricBatch` (100,000 points). */
const BULK_REQUESTS_PER_WRITE = 100;
/**
 * Bodies the client cycles through (each with its own timestamps); the bulk peer builds as many the same way (the same
 * series and values; only the times, taken from the clock, differ).
 */
const CLIENT_BODIES = 4;

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
  return storedPoints(db);
}

async function storedPoints(db: Database): Promise<number> {
  const rows = await db.all(
    compiled<{ n: number }>(
      `SELECT (SELECT count(*) FROM trading_metrics) + (SELECT count(*) FROM otel_histograms) +
        (SELECT count(*) FROM otel_exp_histograms) + (SELECT count(*) FROM otel_summaries) AS n`,
      [],
    ),
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Core's own bulk ingest of the points the clients send: the gzip bodies are inflated, concatenated by
 * `BULK_REQUESTS_PER_WRITE` (protobuf messages concatenate into one with all their resource metrics) and decoded
 * beforehand, then written with one `db.writeMetricBatch` each into a fresh file in `dir`, until `totalPoints`
 * are stored. Only the writes are timed. Points per second.
 * @throws Error when the file does not hold every point written
 */
async function bulkIngestRate(dir: string, bodies: Buffer[], totalPoints: number): Promise<number> {
  const raw = bodies.map((b) => gunzipSync(b));
  const path = join(dir, `bulk-${Date.now()}.duckdb`);
  const db = await Database.open({ path });
  let ms = 0;
  let written = 0;
  try {
    for (let write = 0; written < totalPoints; write++) {
      const requests = Array.from(
        { length: BULK_REQUESTS_PER_WRITE },
        (_, i) => raw[(write * BULK_REQUESTS_PER_WRITE + i) % raw.length]!,
      );
      const { batch, rejected } = decodeProtobufMetrics(Buffer.concat(requests));
      if (rejected > 0) throw new Error(`the decoder rejected ${rejected} points of the bulk workload`);
      ms += await timeMs(() => db.writeMetricBatch(batch));
      written += batch.size;
    }
    const stored = await storedPoints(db);
    if (stored !== written) throw new Error(`bulk ingest wrote ${written} points but stored ${stored}`);
  } finally {
    await db.close();
    rmSync(path, { force: true });
  }
  return written / (ms / 1000);
}

/** A running `duckside` CLI. */
interface CliServer {
  child: ChildProcess;
  pid: number;
  /** Base URL, from its `listening` log line. */
  url: string;
}

/** Starts the `duckside` CLI on a free port of 127.0.0.1 over the file `path` (with `extraArgs`, e.g. `--forward-otlp`). */
async function startCli(path: string, extraArgs: string[] = []): Promise<CliServer> {
  const bin = fileURLToPath(new URL('../packages/sidecar/src/bin.ts', import.meta.url));
  const args = ['--port', '0', '--db', path, '--log-format', 'json', '--log-level', 'info', ...extraArgs];
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
  const bulkPoints = options.quick ? 1_000_000 : 3_000_000;
  const points = workloadPoints(THOUSAND_POINTS);
  const bodies = buildBodies(CLIENT_BODIES);
  const rows: string[][] = [];
  const results: Record<string, number> = {};
  const targets: RatioTarget[] = [];
  const load = loadavg()[0] ?? 0;
  for (const connections of levels) {
    const dir = mkdtempSync(join(tmpdir(), 'duckside-bench-otlp-'));
    const path = join(dir, 'otlp.duckdb');
    try {
      const bulkBefore = await bulkIngestRate(dir, bodies, bulkPoints);
      const server = await startCli(path);
      let report: ClientReport;
      let cpu: number;
      try {
        const cpuBefore = cpuSeconds(server.pid);
        report = await runClient(`${server.url}/v1/metrics`, { connections, warmupMs: 2_000, durationMs });
        cpu = cpuSeconds(server.pid) - cpuBefore;
      } finally {
        await stopCli(server.child);
      }
      const stored = await countPoints(path);
      if (stored < report.ok * points) {
        throw new Error(`acknowledged ${report.ok * points} points but stored ${stored}`);
      }
      // The better of a bulk run before and one after the level: the peer is not handicapped by a noisy moment.
      const bulk = Math.max(bulkBefore, await bulkIngestRate(dir, bodies, bulkPoints));
      const committedPerS = (report.ok * points) / report.seconds;
      const p50 = quantile(report.latenciesMs, 0.5);
      const p99 = quantile(report.latenciesMs, 0.99);
      const key = `otlp_e2e.c${connections}`;
      results[`${key}_points_per_s`] = committedPerS;
      results[`${key}_bulk_points_per_s`] = bulk;
      results[`${key}_p50_ms`] = p50;
      results[`${key}_p99_ms`] = p99;
      results[`${key}_non_200`] = report.refused + report.failed;
      results[`${key}_server_cpu_cores`] = cpu / (report.seconds + 2);
      const target: RatioTarget = {
        key: `${key}_over_bulk`,
        figure: `OTLP end to end, ${connections} connections`,
        duckside: `${formatCount(committedPerS)} points/s`,
        peer: `core bulk ingest of the same points: ${formatCount(bulk)} points/s`,
        how: 'end to end ÷ bulk points/s',
        ratio: committedPerS / bulk,
        bound: TARGET_RATIO,
        better: 'higher',
      };
      targets.push(target);
      rows.push([
        String(connections),
        formatCount(report.ok),
        formatCount(report.refused + report.failed),
        formatCount(committedPerS),
        formatCount(bulk),
        formatRatio(committedPerS / bulk),
        targetCell(target),
        formatMs(p50),
        formatMs(p99),
        `${((cpu / (report.seconds + 2)) * 100).toFixed(0)}%`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const forwarding = await forwardingComparison(
    { startCli, stopCli, runClient, countPoints, points },
    levels[levels.length - 1] as number,
    durationMs,
    options.quick ? 1 : 2,
  );
  Object.assign(results, forwarding.results);
  targets.push(forwarding.target);
  results['otlp_e2e.points_per_s'] = Math.max(
    ...levels.map((c) => results[`otlp_e2e.c${c}_points_per_s`] ?? 0),
  );
  const markdown = [
    markdownTable(
      [
        'Connections',
        '>200 responses',
        '>Refused/failed',
        '>Points committed/s',
        '>Core bulk ingest, points/s (peer)',
        '>End to end / bulk',
        'Target: meets',
        '>p50 ms',
        '>p99 ms',
        '>Server CPU',
      ],
      rows,
    ),
    '',
    `Workload: each request is one SDK export of ${formatCount(points)} points (8 gauges, 8 sums, 4 histograms × ` +
      `50 series; written by the SDK's protobuf serializer, gzip ${formatBytes(bodies[0]!.length)} on the wire), ` +
      'sent back to back on keep-alive connections by a separate client process over 127.0.0.1 to the `duckside` ' +
      'CLI in its own process (UV_THREADPOOL_SIZE=16, default configuration, retention and dashboard plugins ' +
      'off), which commits every request to a ' +
      `DuckDB file before answering 200. ${durationMs / 1000} s measured after a 2 s warm-up; points/s counts ` +
      'acknowledged points only (the stored row count is checked after the server stops). Server CPU is the ' +
      `sidecar process's CPU time, all threads, over warm-up and run (100% = one core of ${cpus().length}). ` +
      `Peer: core's own bulk ingest of ${CLIENT_BODIES} bodies built as the client's in the benchmark's process, inflated, ` +
      `decoded and concatenated beforehand (not timed), ${formatCount(BULK_REQUESTS_PER_WRITE * points)} points per ` +
      `\`db.writeMetricBatch\` into a fresh file, ${formatCount(bulkPoints)} points; the better of a run before and ` +
      `one after each level (its stored count is checked too). Target: end to end ≥ ${formatRatio(TARGET_RATIO)} ` +
      `the bulk ingest. 1-minute load average at start: ${load.toFixed(1)}.`,
    '',
    '### With one upstream forwarder',
    '',
    forwarding.markdown,
  ].join('\n');
  return {
    title: 'OTLP end to end (gzip protobuf over loopback into a DuckDB file)',
    markdown,
    results: { ...results, ...ratioResults(targets) },
    targets,
  };
}

if (process.argv.includes('--client')) {
  const at = process.argv.indexOf('--client');
  const url = process.argv[at + 1]!;
  const shape = JSON.parse(process.argv[at + 2]!) as RunShape;
  const report = await clientMain(url, shape, buildBodies(CLIENT_BODIES));
  process.send?.(report, () => process.exit(0));
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--forward-only')) {
    // Only the forwarding case: `bench/otlp-e2e.ts --forward-only [--quick]`.
    const quick = process.argv.includes('--quick');
    const forwarding = await forwardingComparison(
      { startCli, stopCli, runClient, countPoints, points: workloadPoints(THOUSAND_POINTS) },
      quick ? 8 : 16,
      quick ? 5_000 : 20_000,
      quick ? 1 : 2,
    );
    console.log(
      `1-minute load average at the end: ${(loadavg()[0] ?? 0).toFixed(1)}\n\n${forwarding.markdown}`,
    );
  } else {
    const section = await run({ quick: process.argv.includes('--quick') });
    console.log(standaloneMarkdown(section));
  }
}
