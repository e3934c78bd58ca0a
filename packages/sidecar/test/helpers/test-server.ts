import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type SidecarConfigInput } from '../../src/config/config-schema.ts';
import type { DucksidePlugin } from '../../src/plugin-api/plugin.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { createLogger } from '../../src/telemetry/logger.ts';

/** A sidecar on 127.0.0.1 (free port) over a database file in a fresh temp folder, plus fetch helpers. */
export interface TestServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly dir: string;
  /** Log lines written so far (JSON objects). */
  readonly logs: Array<Record<string, unknown>>;
  /** GET `path` (with the token when one is configured) and return status, headers and parsed JSON body. */
  get(path: string, init?: RequestInit): Promise<JsonReply>;
  /** POST a body (JSON-encoded unless a string or bytes) with a content type (default application/json). */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<JsonReply>;
  /** Shuts the server down and removes the folder. */
  close(): Promise<void>;
}

/** A parsed JSON reply. */
export interface JsonReply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience for reading JSON bodies
  body: any;
}

/**
 * Starts a real sidecar for a test.
 * @example const t = await startTestServer({ token: 'x'.repeat(16) }); await t.get('/healthz'); await t.close();
 */
export async function startTestServer(
  config: SidecarConfigInput = {},
  options: { plugins?: DucksidePlugin<unknown>[]; env?: NodeJS.ProcessEnv } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'duckside-sidecar-'));
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'debug',
    format: 'json',
    write: (line) => logs.push(JSON.parse(line)),
  });
  let server: RunningServer;
  try {
    server = await startServer({
      config: configSchema.parse({
        port: 0,
        host: '127.0.0.1',
        database: join(dir, 'test.duckdb'),
        ...config,
      }),
      logger,
      env: options.env ?? {},
      ...(options.plugins ? { plugins: options.plugins } : {}),
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const auth: Record<string, string> = config.token ? { authorization: `Bearer ${config.token}` } : {};
  const request = async (path: string, init: RequestInit = {}): Promise<JsonReply> => {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...auth, ...(init.headers as Record<string, string>) },
    });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text.length > 0) body = JSON.parse(text);
    return { status: res.status, headers: res.headers, body };
  };
  return {
    server,
    url: server.url,
    dir,
    logs,
    get: (path, init) => request(path, init),
    post: (path, body, headers = {}) =>
      request(path, {
        method: 'POST',
        body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      }),
    close: async () => {
      await server.shutdown('test done');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
