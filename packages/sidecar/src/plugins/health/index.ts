import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Database } from '@duckside/core';
import { jsonErrorBody } from '../../http/error-handler.ts';
import { errorReply } from '../../http/error-reply.ts';
import { jsonResponse } from '../../http/json-response.ts';
import { NotReadyError } from '../../plugin-api/errors.ts';
import type { DucksidePlugin, RequestStatus } from '../../plugin-api/plugin.ts';

/** Free disk space below which `/readyz` reports not ready (writes would soon fail). */
export const MIN_FREE_DISK_BYTES = 16 * 1024 * 1024;
const PROBE_TIMEOUT_MS = 2000;

type CheckResult = 'ok' | string;

/**
 * `GET /healthz` (alive; no token needed) and `GET /readyz`: ready when the sidecar is not shutting down, the
 * database answers a query within 2 s, its file and folder are writable, and the disk has at least 16 MiB free.
 * @example await host.register([healthPlugin]);
 */
export const healthPlugin: DucksidePlugin = {
  name: 'health',
  publicPaths: ['/healthz'],
  setup(ctx) {
    ctx.app.get('/healthz', (c) => c.json({ status: 'ok' }));
    ctx.app.get('/readyz', async (c) => {
      const checks = await readiness(ctx.db, ctx.requests);
      const failed = Object.entries(checks).find(([, v]) => v !== 'ok');
      if (!failed) return jsonResponse(c, { status: 'ready', checks });
      const reply = errorReply(new NotReadyError(`${failed[0]}: ${failed[1]}`));
      return jsonResponse(c, { ...jsonErrorBody(reply), checks }, reply.status, reply.headers);
    });
  },
};

async function readiness(db: Database, requests: RequestStatus): Promise<Record<string, CheckResult>> {
  const checks: Record<string, CheckResult> = {
    lifecycle: requests.draining ? 'shutting down' : 'ok',
    database: db.isOpen ? 'ok' : 'closed',
  };
  if (checks.database !== 'ok') return checks;
  const [query, writable, disk] = await Promise.all([probeQuery(db), probeWritable(db), probeDisk(db)]);
  return { ...checks, query, writable, disk };
}

async function probeQuery(db: Database): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
  });
  const probe = db
    .withReadConnection((c) => c.run('SELECT 1'))
    .then(
      () => 'ok',
      (error: Error) => `query failed: ${error.message}`,
    );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function probeWritable(db: Database): Promise<CheckResult> {
  if (db.path === ':memory:') return 'ok';
  try {
    await access(db.path, constants.W_OK);
    await access(dirname(db.path), constants.W_OK);
    return 'ok';
  } catch (error) {
    return `not writable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}

async function probeDisk(db: Database): Promise<CheckResult> {
  if (db.path === ':memory:') return 'ok';
  try {
    const s = await statfs(dirname(db.path));
    const free = s.bavail * s.bsize;
    return free >= MIN_FREE_DISK_BYTES ? 'ok' : `only ${free} bytes free`;
  } catch (error) {
    return `cannot stat the file system: ${(error as Error).message}`;
  }
}
