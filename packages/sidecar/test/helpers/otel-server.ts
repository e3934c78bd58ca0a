import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, type DatabaseOptions } from '@duckside/core';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createOtlpPlugin, type OtlpPluginOptions } from '../../src/otlp/index.ts';
import type { Counter, Gauge, Histogram, Logger, PluginContext, SelfMetrics } from '../../src/plugin.ts';

/** One line the test logger received. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

/** A real OTLP receiver on 127.0.0.1 with a real database file, for tests and benchmarks. */
export interface OtlpTestServer {
  /** `http://127.0.0.1:<port>/v1/metrics` */
  url: string;
  db: Database;
  logs: LogLine[];
  /** Counter totals keyed by `name{label="value",...}` (labels sorted). */
  counters: Map<string, number>;
  /** `content-type` and `content-encoding` of every request received. */
  requests: Array<{ type: string | undefined; encoding: string | undefined }>;
  close(): Promise<void>;
}

/** A logger that keeps what it is given (and prints nothing). */
export function collectingLogger(lines: LogLine[]): Logger {
  const log = (level: LogLine['level']) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Self-metrics that sum counters by name and labels (gauges and histograms keep the last value). */
export function countingMetrics(totals: Map<string, number>): SelfMetrics {
  const key = (name: string, labels?: Record<string, string>) => {
    const parts = Object.entries(labels ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}="${v}"`);
    return `${name}{${parts.join(',')}}`;
  };
  return {
    counter: (name): Counter => ({
      inc: (value = 1, labels) => totals.set(key(name, labels), (totals.get(key(name, labels)) ?? 0) + value),
    }),
    gauge: (name): Gauge => ({ set: (value, labels) => totals.set(key(name, labels), value) }),
    histogram: (name): Histogram => ({ observe: (value, labels) => totals.set(key(name, labels), value) }),
  };
}

/**
 * Opens a database in a temp folder, sets up the OTLP plugin on a Hono app with a real plugin context and
 * serves it on 127.0.0.1 (a free port).
 * @example
 * const server = await startOtlpServer();
 * await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
 * await server.close();
 */
export async function startOtlpServer(
  options: { plugin?: OtlpPluginOptions; db?: Partial<DatabaseOptions>; path?: string } = {},
): Promise<OtlpTestServer> {
  const dir = options.path ? undefined : mkdtempSync(join(tmpdir(), 'duckside-otlp-'));
  const db = await Database.open({ path: options.path ?? join(dir!, 'otlp.duckdb'), ...options.db });
  const logs: LogLine[] = [];
  const counters = new Map<string, number>();
  const app = new Hono();
  const requests: OtlpTestServer['requests'] = [];
  app.use('*', async (c, next) => {
    requests.push({ type: c.req.header('content-type'), encoding: c.req.header('content-encoding') });
    await next();
  });
  const stops: Array<() => void | Promise<void>> = [];
  const ctx: PluginContext = {
    app,
    db,
    logger: collectingLogger(logs),
    metrics: countingMetrics(counters),
    options: {},
    onStart: () => undefined,
    onStop: (hook) => stops.unshift(hook),
  };
  await createOtlpPlugin(options.plugin).setup(ctx);
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    db,
    logs,
    counters,
    requests,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      for (const stop of stops) await stop();
      await db.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
