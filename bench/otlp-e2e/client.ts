/**
 * The client side of the OTLP end-to-end benchmark, run in a process of its own: `connections` concurrent
 * exporters sending ready-made export requests back to back, over OTLP/HTTP (keep-alive connections, gzip
 * protobuf) or OTLP/gRPC (one grpc-js channel per exporter, plain protobuf as the SDK's gRPC exporters send by
 * default), for metrics or logs.
 */
import { Agent, request } from 'node:http';
import { gzipSync } from 'node:zlib';
import {
  exportClient,
  protobufBody,
  THOUSAND_POINTS,
  tradingExport,
  tradingLogsBody,
} from '@duckside/testkit/otlp';

/** What one client run measured (after its warm-up). */
export interface ClientReport {
  ok: number;
  refused: number;
  failed: number;
  statuses: Record<string, number>;
  latenciesMs: number[];
  seconds: number;
}

/** How one client run sends. */
export interface RunShape {
  connections: number;
  warmupMs: number;
  durationMs: number;
  transport: 'http' | 'grpc';
  signal: 'metrics' | 'logs';
}

/** Bodies the client cycles through (each with its own timestamps). */
export const CLIENT_BODIES = 4;
/** Log records per logs request. */
export const LOG_RECORDS_PER_REQUEST = 1000;

/** Outcome of one request: acknowledged, refused (retry later) or failed. */
type Outcome = { status: string; kind: 'ok' | 'refused' | 'failed' };

/** The uncompressed protobuf requests of a signal's workload, each with its own timestamps. */
export function workloadBodies(signal: RunShape['signal']): Uint8Array[] {
  return Array.from({ length: CLIENT_BODIES }, (_, i) =>
    signal === 'metrics'
      ? protobufBody(tradingExport(THOUSAND_POINTS, i + 1))
      : tradingLogsBody(
          LOG_RECORDS_PER_REQUEST,
          i + 1,
          BigInt(Date.UTC(2025, 0, 1) + i * 60_000) * 1_000_000n,
        ),
  );
}

function httpSender(
  url: string,
  connections: number,
): { send(body: Buffer): Promise<Outcome>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const send = (body: Buffer) =>
    new Promise<Outcome>((resolve) => {
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
          res.on('end', () => {
            const code = res.statusCode ?? 0;
            resolve({
              status: String(code),
              kind: code === 200 ? 'ok' : code === 503 || code === 429 ? 'refused' : 'failed',
            });
          });
        },
      );
      req.on('error', () => resolve({ status: '0', kind: 'failed' }));
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/** gRPC status codes the OTLP specification marks retryable when the server is overloaded. */
const RETRYABLE = new Set([8, 14]);

/**
 * Sends the workload and reports what was acknowledged. `target` is the HTTP URL of the signal's path, or the
 * gRPC `host:port`.
 */
export async function clientMain(target: string, shape: RunShape): Promise<ClientReport> {
  const plain = workloadBodies(shape.signal).map((b) => Buffer.from(b));
  const report: ClientReport = { ok: 0, refused: 0, failed: 0, statuses: {}, latenciesMs: [], seconds: 0 };
  const senders: Array<(i: number) => Promise<Outcome>> = [];
  const closers: Array<() => void> = [];
  if (shape.transport === 'http') {
    const gzipped = plain.map((b) => gzipSync(b));
    const http = httpSender(target, shape.connections);
    for (let c = 0; c < shape.connections; c++) senders.push((i) => http.send(gzipped[i % gzipped.length]!));
    closers.push(http.close);
  } else {
    for (let c = 0; c < shape.connections; c++) {
      // One channel per exporter, as separate SDK exporters would have.
      const client = exportClient(target, shape.signal, { 'grpc.use_local_subchannel_pool': 1 });
      senders.push(async (i) => {
        const outcome = await client.export(plain[i % plain.length]!);
        if (outcome.ok) return { status: 'OK', kind: 'ok' };
        return { status: String(outcome.code), kind: RETRYABLE.has(outcome.code) ? 'refused' : 'failed' };
      });
      closers.push(() => client.close());
    }
  }
  const started = performance.now();
  const warmEnd = started + shape.warmupMs;
  const end = warmEnd + shape.durationMs;
  const worker = async (id: number) => {
    for (let i = id; performance.now() < end; i += shape.connections) {
      const t0 = performance.now();
      const outcome = await senders[id]!(i);
      const t1 = performance.now();
      if (t0 < warmEnd) continue;
      report.statuses[outcome.status] = (report.statuses[outcome.status] ?? 0) + 1;
      report[outcome.kind]++;
      if (outcome.kind === 'ok') report.latenciesMs.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: shape.connections }, (_, i) => worker(i)));
  report.seconds = (performance.now() - warmEnd) / 1000;
  for (const close of closers) close();
  return report;
}

if (process.argv.includes('--client')) {
  const at = process.argv.indexOf('--client');
  const report = await clientMain(process.argv[at + 1]!, JSON.parse(process.argv[at + 2]!) as RunShape);
  process.send?.(report, () => process.exit(0));
}
