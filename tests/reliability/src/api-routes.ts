import { Database } from '@duckside/core';
import { createApp, createLogger } from '@duckside/sidecar';
import type { SidecarProcess } from './sidecar-process.ts';

/** One route of the sidecar. */
export interface Route {
  method: string;
  path: string;
}

/**
 * Every route the sidecar registers with its default plugins, read from the app `createApp` builds (over an
 * in-memory database), so new routes are covered without editing the tests. Path parameters (`:file`) are
 * replaced with `x`.
 * @example const routes = await sidecarRoutes(); // [{ method: 'GET', path: '/healthz' }, ...]
 */
export async function sidecarRoutes(): Promise<Route[]> {
  const db = await Database.open({ path: ':memory:' });
  try {
    const { app } = await createApp({ db, logger: createLogger({ level: 'error', format: 'json' }) });
    const seen = new Set<string>();
    const routes: Route[] = [];
    for (const r of app.routes) {
      if (r.path === '*' || r.path === '/*') continue;
      const path = r.path.replace(/:[a-zA-Z_]+/g, 'x');
      const key = `${r.method} ${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      routes.push({ method: r.method === 'ALL' ? 'GET' : r.method, path });
    }
    return routes;
  } finally {
    await db.close();
  }
}

/**
 * The query parameters a GET endpoint allows, read from the running sidecar: an unknown parameter is answered
 * 400 with the allowlist in the message (`... (allowed: name, symbol, label.<key>)`).
 * @example await allowedParams(sidecar, '/api/v1/trades'); // ['symbol', 'venue', ...]
 */
export async function allowedParams(sidecar: SidecarProcess, path: string): Promise<string[]> {
  const res = await sidecar.get(`${path}?reliability_probe=1`);
  if (res.status !== 400) return [];
  const message = (JSON.parse(res.text) as { error?: { message?: string } }).error?.message ?? '';
  const list = /\(allowed: ([^)]*)\)/.exec(message)?.[1];
  return list ? list.split(',').map((s) => s.trim()) : [];
}
