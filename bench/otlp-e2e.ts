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
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { compiled, Database } from '@duckside/core';
import { decodeProtobufMetrics } from '@duckside/sidecar/otlp';
import { THOUSAND_POINTS, workloadPoints } from '@duckside/testkit/otlp';
import type { BenchOptions, BenchSection } from './bench-section.ts';
import { formatBytes, formatCount, formatMs, formatRatio } from './lib/format.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { type RatioTarget, ratioResults, targetCell } from './lib/ratio-target.ts';
import { standaloneMarkdown } from './lib/standalone-markdown.ts';
import { quantile, timeMs } from './lib/timing.ts';
import {
  CLIENT_BODIES,
  type ClientReport,
  LOG_RECORDS_PER_REQUEST,
  type RunShape,
  workloadBodies,
} from './otlp-e2e/client.ts';
import { type E2eParts, forwardingComparison } from './otlp-forward.ts';

/** Target (issue 20): points committed/s end to end ÷ core's bulk ingest of the same points. */
const TARGET_RATIO = 0.8;
/** Target (issue 16): gRPC points/s ÷ HTTP points/s at each level. */
const GRPC_OVER_HTTP = 1.0;
/** Targets (issue 16): gRPC metrics points/s with 16 exporters, and log records/s over each transport. */
const GRPC_16_POINTS_PER_S = 300_000;
const LOG_RECORDS_PER_S = 150_000;
/** Requests whose points the bulk peer writes in one `db.writeMetricBatch` (100,000 points). */
const BULK_REQUESTS_PER_WRITE = 100;

async function countStored(path: string, signal: RunShape['signal']): Promise<number> {
  await using db = await Database.open({ path });
  if (signal === 'metrics') return storedPoints(db);
  const rows = await db.all(compiled<{ n: number }>('SELECT count(*) AS n FROM system_events', []));
  return Number(rows[0]?.n ?? 0);
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
 * Core's own bulk ingest of the points the clients send: the (uncompressed) bodies are concatenated by
 * `BULK_REQUESTS_PER_WRITE` (protobuf messages concatenate into one with all their resource metrics) and decoded
 * beforehand, then written with one `db.writeMetricBatch` each into a fresh file in `dir`, until `totalPoints`
 * are stored. Only the writes are timed. Points per second.
 * @throws Error when the file does not hold every point written
 */
async function bulkIngestRate(dir: string, raw: readonly Uint8Array[], totalPoints: number): Promise<number> {
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
  /** `host:port` of its OTLP/gRPC receiver, from its `otlp grpc listening` log line. */
  grpcAddress: string;
}

/** Starts the `duckside` CLI on a free port of 127.0.0.1 over the file `path` (with `extraArgs`, e.g. `--forward-otlp`). */
async function startCli(path: string, extraArgs: string[] = []): Promise<CliServer> {
  const bin = fileURLToPath(new URL('../packages/sidecar/src/bin.ts', import.meta.url));
  const args = ['--port', '0', '--db', path, '--log-format', 'json', '--log-level', 'info', ...extraArgs];
  for (const plugin of ['retention', 'dashboard']) args.push('--disable-plugin', plugin);
  // BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--conditions=source', '--import', 'tsx', bin, ...args],
    {
      env: { ...process.env, UV_THREADPOOL_SIZE: '16' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const listening = await new Promise<{ url: string; grpcAddress: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`duckside exited with ${code} before listening`)));
    let grpcAddress = '';
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string; host?: string; port?: number };
      if (entry.msg === 'otlp grpc listening') grpcAddress = `${entry.host}:${entry.port}`;
      if (entry.msg === 'listening' && entry.url) resolve({ url: entry.url, grpcAddress });
    });
  });
  return { child, pid: child.pid!, ...listening };
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
  const client = fileURLToPath(new URL('./otlp-e2e/client.ts', import.meta.url));
  const child = fork(client, ['--client', url, JSON.stringify(shape)], {
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

/** What the forwarding case borrows: the CLI, and HTTP metrics clients. */
const E2E_PARTS: E2eParts = {
  startCli,
  stopCli,
  runClient: (url, shape) => runClient(url, { ...shape, transport: 'http', signal: 'metrics' }),
  countPoints: (path) => countStored(path, 'metrics'),
  points: workloadPoints(THOUSAND_POINTS),
};

/** One measured client run against a fresh `duckside` CLI: figures and the server's CPU cores used. */
interface Measured {
  report: ClientReport;
  /** Items (points or log records) committed per second. */
  perS: number;
  p50: number;
  p99: number;
  cpuCores: number;
}

/**
 * Starts a fresh CLI over a new file in `dir`, runs one client shape against it, stops it and checks that every
 * acknowledged item is stored.
 */
async function measure(dir: string, shape: RunShape, itemsPerRequest: number): Promise<Measured> {
  const path = join(dir, `${shape.signal}-${shape.transport}-${shape.connections}.duckdb`);
  const server = await startCli(path);
  let report: ClientReport;
  let cpu: number;
  try {
    const cpuBefore = cpuSeconds(server.pid);
    const target =
      shape.transport === 'grpc'
        ? server.grpcAddress
        : `${server.url}/v1/${shape.signal === 'metrics' ? 'metrics' : 'logs'}`;
    report = await runClient(target, shape);
    cpu = cpuSeconds(server.pid) - cpuBefore;
  } finally {
    await stopCli(server.child);
  }
  const stored = await countStored(path, shape.signal);
  if (stored < report.ok * itemsPerRequest) {
    throw new Error(
      `${shape.transport} ${shape.signal}: acknowledged ${report.ok * itemsPerRequest} items but stored ${stored}`,
    );
  }
  rmSync(path, { force: true });
  return {
    report,
    perS: (report.ok * itemsPerRequest) / report.seconds,
    p50: quantile(report.latenciesMs, 0.5),
    p99: quantile(report.latenciesMs, 0.99),
    cpuCores: cpu / (report.seconds + shape.warmupMs / 1000),
  };
}

function recordResults(results: Record<string, number>, key: string, m: Measured): void {
  results[`${key}_per_s`] = m.perS;
  results[`${key}_p50_ms`] = m.p50;
  results[`${key}_p99_ms`] = m.p99;
  results[`${key}_non_ok`] = m.report.refused + m.report.failed;
  results[`${key}_server_cpu_cores`] = m.cpuCores;
}

/** A throughput target with a fixed bound (no peer): the figure ÷ the bound must reach 1. */
function absoluteTarget(key: string, figure: string, perS: number, bound: number, unit: string): RatioTarget {
  return {
    key,
    figure: `${figure}, vs the ${formatCount(bound)} ${unit}/s target`,
    duckside: `${formatCount(perS)} ${unit}/s`,
    peer: `target: ${formatCount(bound)} ${unit}/s`,
    how: `${unit}/s ÷ ${formatCount(bound)}`,
    ratio: perS / bound,
    bound: 1,
    better: 'higher',
  };
}

const figureCells = (m: Measured) => [
  formatCount(m.report.ok),
  formatCount(m.report.refused + m.report.failed),
  formatCount(m.perS),
];
const latencyCells = (m: Measured) => [formatMs(m.p50), formatMs(m.p99), `${(m.cpuCores * 100).toFixed(0)}%`];

/**
 * Runs the benchmark: metrics over OTLP/HTTP and OTLP/gRPC at each concurrency level (4 and 16 exporters; 8 when
 * quick), each against core's bulk ingest of the same points and gRPC against HTTP; then logs over both
 * transports. `quick` sends for 5 s per run, otherwise 20 s.
 */
export async function run(options: BenchOptions): Promise<BenchSection> {
  const durationMs = options.quick ? 5_000 : 20_000;
  const levels = options.quick ? [8] : [4, 16];
  const logLevel = options.quick ? 8 : 16;
  const bulkPoints = options.quick ? 1_000_000 : 3_000_000;
  const points = workloadPoints(THOUSAND_POINTS);
  const bodies = workloadBodies('metrics');
  const metricRows: string[][] = [];
  const logRows: string[][] = [];
  const results: Record<string, number> = {};
  const targets: RatioTarget[] = [];
  const load = loadavg()[0] ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'duckside-bench-otlp-'));
  const shape = (
    connections: number,
    transport: RunShape['transport'],
    signal: RunShape['signal'],
  ): RunShape => ({
    connections,
    warmupMs: 2_000,
    durationMs,
    transport,
    signal,
  });
  try {
    for (const connections of levels) {
      const bulkBefore = await bulkIngestRate(dir, bodies, bulkPoints);
      const http = await measure(dir, shape(connections, 'http', 'metrics'), points);
      const grpc = await measure(dir, shape(connections, 'grpc', 'metrics'), points);
      // The better of a bulk run before and one after the level: the peer is not handicapped by a noisy moment.
      const bulk = Math.max(bulkBefore, await bulkIngestRate(dir, bodies, bulkPoints));
      const key = `otlp_e2e.c${connections}`;
      recordResults(results, `${key}_points`, http);
      recordResults(results, `${key}_grpc_points`, grpc);
      results[`${key}_bulk_points_per_s`] = bulk;
      const overBulk = (m: Measured, transport: string): RatioTarget => ({
        key: `${key}${transport === 'gRPC' ? '_grpc' : ''}_over_bulk`,
        figure: `OTLP/${transport} end to end, ${connections} exporters`,
        duckside: `${formatCount(m.perS)} points/s`,
        peer: `core bulk ingest of the same points: ${formatCount(bulk)} points/s`,
        how: 'end to end ÷ bulk points/s',
        ratio: m.perS / bulk,
        bound: TARGET_RATIO,
        better: 'higher',
      });
      const httpTarget = overBulk(http, 'HTTP');
      const grpcTarget = overBulk(grpc, 'gRPC');
      const grpcOverHttp: RatioTarget = {
        key: `${key}_grpc_over_http`,
        figure: `OTLP/gRPC vs OTLP/HTTP, ${connections} exporters`,
        duckside: `gRPC: ${formatCount(grpc.perS)} points/s`,
        peer: `HTTP: ${formatCount(http.perS)} points/s`,
        how: 'gRPC ÷ HTTP points/s',
        ratio: grpc.perS / http.perS,
        bound: GRPC_OVER_HTTP,
        better: 'higher',
      };
      targets.push(httpTarget, grpcTarget, grpcOverHttp);
      if (connections === 16) {
        targets.push(
          absoluteTarget(
            'otlp_e2e.c16_grpc_over_300k',
            'OTLP/gRPC end to end, 16 exporters',
            grpc.perS,
            GRPC_16_POINTS_PER_S,
            'points',
          ),
        );
      }
      for (const [transport, m, target] of [
        ['HTTP', http, httpTarget],
        ['gRPC', grpc, grpcTarget],
      ] as const) {
        metricRows.push([
          String(connections),
          transport,
          ...figureCells(m),
          formatCount(bulk),
          formatRatio(m.perS / bulk),
          targetCell(target),
          transport === 'gRPC' ? `${formatRatio(grpcOverHttp.ratio)} ${targetCell(grpcOverHttp)}` : '',
          ...latencyCells(m),
        ]);
      }
    }
    for (const transport of ['http', 'grpc'] as const) {
      const m = await measure(dir, shape(logLevel, transport, 'logs'), LOG_RECORDS_PER_REQUEST);
      const label = transport === 'http' ? 'HTTP' : 'gRPC';
      recordResults(results, `otlp_e2e.logs_${transport}_records`, m);
      const target = absoluteTarget(
        `otlp_e2e.logs_${transport}_over_150k`,
        `OTLP/${label} logs end to end, ${logLevel} exporters`,
        m.perS,
        LOG_RECORDS_PER_S,
        'records',
      );
      targets.push(target);
      logRows.push([String(logLevel), label, ...figureCells(m), targetCell(target), ...latencyCells(m)]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const forwarding = await forwardingComparison(
    E2E_PARTS,
    levels[levels.length - 1] as number,
    durationMs,
    options.quick ? 1 : 2,
  );
  Object.assign(results, forwarding.results);
  targets.push(forwarding.target);
  results['otlp_e2e.points_per_s'] = Math.max(
    ...levels.flatMap((c) => [
      results[`otlp_e2e.c${c}_points_per_s`] ?? 0,
      results[`otlp_e2e.c${c}_grpc_points_per_s`] ?? 0,
    ]),
  );
  const gzipBytes = gzipSync(bodies[0]!).length;
  const markdown = [
    markdownTable(
      [
        'Exporters',
        'Transport',
        '>OK responses',
        '>Refused/failed',
        '>Points committed/s',
        '>Core bulk ingest, points/s (peer)',
        '>End to end / bulk',
        'Target: meets',
        'gRPC / HTTP (target ≥ 1)',
        '>p50 ms',
        '>p99 ms',
        '>Server CPU',
      ],
      metricRows,
    ),
    '',
    `Metrics workload: each request is one SDK export of ${formatCount(points)} points (8 gauges, 8 sums, 4 histograms × ` +
      `50 series; written by the SDK's protobuf serializer, ${formatBytes(bodies[0]!.length)}, gzip ${formatBytes(gzipBytes)}), ` +
      'sent back to back by a separate client process over 127.0.0.1 to the `duckside` ' +
      'CLI in its own process (UV_THREADPOOL_SIZE=16, default configuration, retention and dashboard plugins ' +
      'off), which commits every request to a DuckDB file before answering. OTLP/HTTP: gzip bodies on keep-alive ' +
      'connections (one connection per exporter). OTLP/gRPC: one grpc-js channel per exporter, uncompressed (the ' +
      `SDK's gRPC exporters' default). ${durationMs / 1000} s measured after a 2 s warm-up, a fresh server and file per run; ` +
      'points/s counts acknowledged points only (the stored row count is checked after the server stops). Server CPU is the ' +
      `sidecar process's CPU time, all threads, over warm-up and run (100% = one core of ${cpus().length}). ` +
      `Peer: core's own bulk ingest of ${CLIENT_BODIES} bodies built as the client's in the benchmark's process, ` +
      `decoded and concatenated beforehand (not timed), ${formatCount(BULK_REQUESTS_PER_WRITE * points)} points per ` +
      `\`db.writeMetricBatch\` into a fresh file, ${formatCount(bulkPoints)} points; the better of a run before and ` +
      `one after each level (its stored count is checked too). Targets: end to end ≥ ${formatRatio(TARGET_RATIO)} ` +
      `the bulk ingest; gRPC ≥ HTTP; gRPC ≥ ${formatCount(GRPC_16_POINTS_PER_S)} points/s with 16 exporters.`,
    '',
    markdownTable(
      [
        'Exporters',
        'Transport',
        '>OK responses',
        '>Refused/failed',
        '>Log records committed/s',
        'Target ≥ 150k/s',
        '>p50 ms',
        '>p99 ms',
        '>Server CPU',
      ],
      logRows,
    ),
    '',
    `Logs workload: requests of ${formatCount(LOG_RECORDS_PER_REQUEST)} log records (3 services, DEBUG to ERROR, ` +
      'string bodies, 3 attributes, trace and span ids, observed times) into `system_events`, same transports and ' +
      `server as above. 1-minute load average at start: ${load.toFixed(1)}.`,
    '',
    '### With one upstream forwarder',
    '',
    forwarding.markdown,
  ].join('\n');
  return {
    title: 'OTLP end to end (OTLP/HTTP and OTLP/gRPC over loopback into a DuckDB file)',
    markdown,
    results: { ...results, ...ratioResults(targets) },
    targets,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--forward-only')) {
    // Only the forwarding case: `bench/otlp-e2e.ts --forward-only [--quick]`.
    const quick = process.argv.includes('--quick');
    const forwarding = await forwardingComparison(
      E2E_PARTS,
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
