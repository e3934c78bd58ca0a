import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, type DatabaseOptions } from '@duckside/core';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/app.ts';
import { configSchema } from '../../src/config/config-schema.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { MetricsRegistry } from '../../src/telemetry/self-metrics.ts';

/** One line the sidecar logged. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A real sidecar (`createApp`, with the OTLP plugin and, when asked, the gRPC one) on 127.0.0.1 over a real database file. */
export interface OtlpTestServer {
  /** `http://127.0.0.1:<port>/v1/metrics` */
  url: string;
  /** `http://127.0.0.1:<port>/v1/logs` */
  logsUrl: string;
  /** `127.0.0.1:<port>` of the built-in gRPC receiver (on a free port). */
  grpcAddress: string;
  db: Database;
  logs: LogLine[];
  /** `content-type` and `content-encoding` of every request the server received. */
  requests: Array<{ type: string | undefined; encoding: string | undefined }>;
  /** Current value of a self-metric counter, e.g. `counter('duckside_otlp_points_ingested_total', { signal: 'metrics' })`. */
  counter(name: string, labels?: Record<string, string>): number;
  close(): Promise<void>;
}

/**
 * Opens a database in a temp folder (or at `path`), builds the sidecar app with `createApp` (the OTLP plugin
 * with the given options replaces the built-in one; retention is off so that old test timestamps stay) and
 * serves it on a free port of 127.0.0.1; the gRPC receiver (options from `grpc`) listens on another free port.
 * @example
 * const server = await startOtlpServer();
 * await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
 * await server.close();
 */
export async function startOtlpServer(
  options: {
    plugin?: { maxBodyBytes?: number };
    grpc?: { token?: string; maxMessageBytes?: number };
    db?: Partial<DatabaseOptions>;
    path?: string;
  } = {},
): Promise<OtlpTestServer> {
  const dir = options.path ? undefined : mkdtempSync(join(tmpdir(), 'duckside-otlp-'));
  const db = await Database.open({ path: options.path ?? join(dir!, 'otlp.duckdb'), ...options.db });
  const logs: LogLine[] = [];
  const logger = createLogger({
    level: 'debug',
    format: 'json',
    write: (line) => {
      const { level, msg, time: _time, ...fields } = JSON.parse(line) as Record<string, unknown>;
      logs.push({ level: level as LogLine['level'], message: String(msg), fields });
    },
  });
  const metrics = new MetricsRegistry();
  const sidecar = await createApp({
    db,
    logger,
    metrics,
    config: configSchema.parse({
      port: 0,
      disablePlugins: ['retention'],
      plugins: { otlp: { ...options.plugin }, grpc: { ...options.grpc } },
    }),
  });
  const requests: OtlpTestServer['requests'] = [];
  const fetch: typeof sidecar.app.fetch = (request, ...rest) => {
    requests.push({
      type: request.headers.get('content-type') ?? undefined,
      encoding: request.headers.get('content-encoding') ?? undefined,
    });
    return sidecar.app.fetch(request, ...rest);
  };
  const server = serve({ fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  await sidecar.start();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    logsUrl: `http://127.0.0.1:${port}/v1/logs`,
    grpcAddress: `127.0.0.1:${grpcPort(logs)}`,
    db,
    logs,
    requests,
    counter: (name, labels = {}) => counterValue(metrics.render(), name, labels),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await sidecar.stop();
      await db.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A sample's value from Prometheus text (0 when absent); labels must match exactly, in any order. */
function counterValue(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_]\w*=")/)
      .filter(Boolean)
      .sort()
      .join(',');
    if (got === wanted) return Number(match[3]);
  }
  return 0;
}

/** The port the gRPC plugin logged it listens on. */
function grpcPort(logs: readonly LogLine[]): number {
  const line = logs.find((l) => l.message === 'otlp grpc listening');
  if (!line) throw new Error('the gRPC receiver did not start');
  return Number(line.fields.port);
}
