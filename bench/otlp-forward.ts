/**
 * The forwarding case of the OTLP end-to-end benchmark: the same client load against the `duckside` CLI without
 * and with one upstream forwarder (`--forward-otlp`), side by side in one run. The upstream is a small HTTP sink in
 * the benchmark's process (it reads each body and answers 200), so the figure is the cost of forwarding on the
 * sidecar (queue append with group-committed fdatasync before the ack, gzip, the upstream requests), not that of
 * an upstream database sharing the cores. Target: points/s with forwarding >= 0.8x without. Called by
 * `otlp-e2e.ts`.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes, formatCount, formatMs, formatRatio } from './lib/format.ts';
import { markdownTable } from './lib/markdown-table.ts';
import type { RatioTarget } from './lib/ratio-target.ts';
import { targetCell } from './lib/ratio-target.ts';
import { quantile } from './lib/timing.ts';

/** Target (issue 18): points committed/s with one upstream forwarder ÷ without. */
const TARGET_RATIO = 0.8;

/** What the forwarding case borrows from the end-to-end benchmark. */
export interface E2eParts {
  startCli(path: string, extraArgs?: string[]): Promise<{ child: ChildProcess; pid: number; url: string }>;
  stopCli(child: ChildProcess): Promise<void>;
  runClient(
    url: string,
    shape: { connections: number; warmupMs: number; durationMs: number },
  ): Promise<{ ok: number; refused: number; failed: number; latenciesMs: number[]; seconds: number }>;
  countPoints(path: string): Promise<number>;
  /** Points in one client request. */
  points: number;
}

interface CaseResult {
  pointsPerS: number;
  p50: number;
  p99: number;
  nonOk: number;
  forward?: { sent: number; queued: number; lagS: number; drainMs: number };
}

/** A sink upstream: counts requests and bytes, answers 200. */
async function startSink(): Promise<{
  url: string;
  requests: () => number;
  bytes: () => number;
  close(): Promise<void>;
}> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    requests: () => requests,
    bytes: () => bytes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function scrape(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) total += Number(m[1]);
  return total;
}

async function runCase(
  parts: E2eParts,
  connections: number,
  durationMs: number,
  forwardTo: string | undefined,
): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'duckside-bench-forward-'));
  const path = join(dir, 'otlp.duckdb');
  try {
    const server = await parts.startCli(path, forwardTo ? ['--forward-otlp', forwardTo] : []);
    let report: Awaited<ReturnType<E2eParts['runClient']>>;
    let forward: CaseResult['forward'];
    try {
      report = await parts.runClient(`${server.url}/v1/metrics`, {
        connections,
        warmupMs: 2_000,
        durationMs,
      });
      if (forwardTo) {
        const queued = await scrape(server.url, 'duckside_forward_queue_bytes');
        const lagS = await scrape(server.url, 'duckside_forward_lag_seconds');
        const t0 = performance.now();
        while (
          (await scrape(server.url, 'duckside_forward_queue_bytes')) > 0 &&
          performance.now() - t0 < 60_000
        ) {
          await new Promise((r) => setTimeout(r, 100));
        }
        const drainMs = performance.now() - t0;
        forward = {
          sent: await scrape(server.url, 'duckside_forward_sent_requests_total'),
          queued,
          lagS,
          drainMs,
        };
      }
    } finally {
      await parts.stopCli(server.child);
    }
    const stored = await parts.countPoints(path);
    if (stored < report.ok * parts.points)
      throw new Error(`acknowledged ${report.ok * parts.points} points but stored ${stored}`);
    return {
      pointsPerS: (report.ok * parts.points) / report.seconds,
      p50: quantile(report.latenciesMs, 0.5),
      p99: quantile(report.latenciesMs, 0.99),
      nonOk: report.refused + report.failed,
      ...(forward ? { forward } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs off/on pairs (`pairs` of them, alternating, the best of each side kept) at `connections` and returns the
 * table, the results and the target.
 */
export async function forwardingComparison(
  parts: E2eParts,
  connections: number,
  durationMs: number,
  pairs: number,
): Promise<{ markdown: string; results: Record<string, number>; target: RatioTarget }> {
  const sink = await startSink();
  const off: CaseResult[] = [];
  const on: CaseResult[] = [];
  try {
    for (let i = 0; i < pairs; i++) {
      off.push(await runCase(parts, connections, durationMs, undefined));
      on.push(await runCase(parts, connections, durationMs, sink.url));
    }
  } finally {
    await sink.close();
  }
  const best = (cases: CaseResult[]) => cases.reduce((a, b) => (b.pointsPerS > a.pointsPerS ? b : a));
  const a = best(off);
  const b = best(on);
  const ratio = b.pointsPerS / a.pointsPerS;
  const target: RatioTarget = {
    key: 'otlp_e2e.forward_over_no_forward',
    figure: `OTLP end to end with one upstream forwarder, ${connections} connections`,
    duckside: `${formatCount(b.pointsPerS)} points/s`,
    peer: `the same without forwarding: ${formatCount(a.pointsPerS)} points/s`,
    how: 'with ÷ without points/s',
    ratio,
    bound: TARGET_RATIO,
    better: 'higher',
  };
  const f = b.forward;
  const rows = [
    ['off', formatCount(a.pointsPerS), formatCount(a.nonOk), formatMs(a.p50), formatMs(a.p99), '', '', ''],
    [
      'on (1 upstream)',
      formatCount(b.pointsPerS),
      formatCount(b.nonOk),
      formatMs(b.p50),
      formatMs(b.p99),
      f ? formatBytes(f.queued) : '',
      f ? `${f.lagS.toFixed(1)} s` : '',
      f ? formatMs(f.drainMs) : '',
    ],
  ];
  const markdown = [
    markdownTable(
      [
        'Forwarding',
        '>Points committed/s',
        '>Refused/failed',
        '>p50 ms',
        '>p99 ms',
        '>Queue at end',
        '>Lag at end',
        '>Drained after, ms',
      ],
      rows,
    ),
    '',
    `With ÷ without: ${formatRatio(ratio)} (target ${targetCell(target)}); ` +
      `${pairs} off/on pair(s) of ${durationMs / 1000} s, alternating, best of each side. The forwarder queues each ` +
      'request on disk (group-committed fdatasync) before it answers 200 and sends gzip (level 1) batches of up to ' +
      '1 MiB to a sink HTTP server in the benchmark process; "queue at end" and "lag at end" are read from ' +
      '`/metrics` right after the load, "drained after" is how long the queue took to empty after it. ' +
      `Upstream requests delivered in the best run: ${f ? formatCount(f.sent) : 'n/a'} queued requests.`,
  ].join('\n');
  return {
    markdown,
    results: {
      'otlp_e2e.forward_off_points_per_s': a.pointsPerS,
      'otlp_e2e.forward_on_points_per_s': b.pointsPerS,
      'otlp_e2e.forward_on_lag_s': f?.lagS ?? Number.NaN,
    },
    target,
  };
}
