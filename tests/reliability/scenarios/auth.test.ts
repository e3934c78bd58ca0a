import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { sidecarRoutes } from '../src/api-routes.ts';
import { send } from '../src/http-request.ts';
import { runCli } from '../src/run-cli.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SIDECAR_BIN, SidecarProcess, TEST_TOKEN } from '../src/sidecar-process.ts';
import { ms } from '../src/stats.ts';

const report = new ScenarioReport('10 auth');
afterAll(() => report.publish());

/** Credentials that must all be refused. */
const BAD_CREDENTIALS: Array<[string, Record<string, string>]> = [
  ['none', {}],
  ['wrong token', { authorization: 'Bearer reliability-token-0123456789abcdeX' }],
  ['token prefix', { authorization: `Bearer ${TEST_TOKEN.slice(0, -1)}` }],
  ['token plus a character', { authorization: `Bearer ${TEST_TOKEN}x` }],
  ['empty bearer', { authorization: 'Bearer ' }],
  ['basic scheme', { authorization: `Basic ${Buffer.from(`user:${TEST_TOKEN}`).toString('base64')}` }],
  ['token without scheme', { authorization: TEST_TOKEN }],
  ['token in another header', { 'x-api-key': TEST_TOKEN }],
];

describe('auth', () => {
  it('answers 401 on every route but /healthz without the right token', async () => {
    await using dir = await tempDir('reliability-auth-');
    const sidecar = await SidecarProcess.start({ db: join(dir.path, 'auth.duckdb') });
    report.attachLog('sidecar', () => sidecar.output());
    const routes = await sidecarRoutes();
    const targets = [
      ...routes,
      { method: 'GET', path: '/no/such/route' },
      { method: 'POST', path: '/v1/traces' },
      { method: 'GET', path: `/api/v1/stats?token=${TEST_TOKEN}` },
      { method: 'GET', path: '/healthz/../api/v1/stats' },
      { method: 'GET', path: '/HEALTHZ' },
      { method: 'GET', path: '/healthz%2f..%2fapi%2fv1%2fstats' },
    ];
    const leaks: string[] = [];
    const publicPaths = new Set<string>();
    let checked = 0;
    for (const route of targets) {
      for (const [label, headers] of BAD_CREDENTIALS) {
        const res = await send(`${sidecar.url}${route.path}`, {
          method: route.method,
          headers: { ...headers, 'content-type': 'application/json' },
          ...(route.method === 'POST' ? { body: '[]' } : {}),
        });
        checked++;
        if (res.status === 401 || (route.path === '/healthz' && res.status === 200)) continue;
        if (res.status === 200 && route.method === 'GET' && isDashboardShell(route.path))
          publicPaths.add(route.path);
        else leaks.push(`${route.method} ${route.path} (${label}): ${res.status}`);
      }
    }
    // The dashboard's page shell is exempt from auth by design (it holds no data and asks for the token): it
    // must serve static files only, the same with and without the token.
    const home = await send(`${sidecar.url}/`);
    for (const m of home.body.toString('utf8').matchAll(/["']\.?\/?(dashboard\/[^"'?#]+)/g))
      publicPaths.add(`/${m[1]}`);
    const notStatic: string[] = [];
    for (const path of publicPaths) {
      const anonymous = await send(`${sidecar.url}${path}`);
      const authorized = await send(`${sidecar.url}${path}`, { headers: sidecar.authHeaders });
      const type = String(anonymous.headers['content-type'] ?? '');
      const isStatic =
        /^(text\/html|text\/css|text\/javascript|application\/javascript|image\/svg\+xml)/.test(type);
      if (anonymous.status === 200 && (!isStatic || !anonymous.body.equals(authorized.body)))
        notStatic.push(`${path} (${type})`);
    }
    const withToken = await sidecar.get('/api/v1/stats');
    const exit = await sidecar.stop();
    report.figure(
      'routes (from createApp) + extra paths',
      `${routes.length} + ${targets.length - routes.length}`,
    );
    report.check(
      'requests with bad credentials not refused',
      leaks.length === 0
        ? `0 of ${checked}`
        : `${leaks.length} of ${checked}: ${leaks.slice(0, 3).join('; ')}`,
      '0',
      leaks.length === 0,
    );
    report.figure(
      'public without a token besides /healthz (dashboard page shell, by design)',
      `${publicPaths.size} paths`,
    );
    report.check(
      'public paths that are not static files',
      notStatic.join(', ') || 'none',
      'none',
      notStatic.length === 0,
    );
    report.check('/api/v1/stats with the token', withToken.status, '200', withToken.status === 200);
    expect(routes.length).toBeGreaterThan(5);
    expect(leaks).toEqual([]);
    expect(notStatic).toEqual([]);
    expect(withToken.status).toBe(200);
    expect(exit.code).toBe(0);
  });

  it('refuses to listen on a non-loopback address without a token', async () => {
    await using dir = await tempDir('reliability-bind-');
    const db = join(dir.path, 'bind.duckdb');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
    const attempts: Array<[string, string[], Record<string, string>]> = [
      ['--host 0.0.0.0', ['--host', '0.0.0.0'], {}],
      ['--host ::', ['--host', '::'], {}],
      ['DUCKSIDE_HOST=0.0.0.0, empty DUCKSIDE_TOKEN', [], { DUCKSIDE_HOST: '0.0.0.0', DUCKSIDE_TOKEN: '' }],
      ['--host 0.0.0.0 with a 5-character token', ['--host', '0.0.0.0', '--token', 'short'], {}],
      ...(external
        ? [[`--host ${external}`, ['--host', external], {}] as [string, string[], Record<string, string>]]
        : []),
    ];
    const failures: string[] = [];
    for (const [label, args, env] of attempts) {
      const run = await runCli(SIDECAR_BIN, ['--db', db, '--port', '0', ...args], { env, timeoutMs: 20_000 });
      const refused = run.code !== 0 && run.code !== null && /token/i.test(run.output);
      report.check(
        `${label}: refused`,
        `exit ${run.code ?? run.signal} in ${ms(run.ms)}`,
        'non-zero, names the token',
        refused,
      );
      if (!refused) failures.push(`${label}: ${run.output.slice(-200)}`);
    }
    // With a token, a non-loopback bind starts, and still refuses requests without it.
    const open = await SidecarProcess.start({ db, args: ['--host', '0.0.0.0'] });
    const anonymous = await send(`${open.url}/api/v1/stats`);
    await open.stop();
    report.check(
      '--host 0.0.0.0 with a token: starts, anonymous request',
      anonymous.status,
      '401',
      anonymous.status === 401,
    );
    expect(failures).toEqual([]);
    expect(anonymous.status).toBe(401);
  });
});

/** The dashboard page shell: `/` and its files under `/dashboard/`. */
function isDashboardShell(path: string): boolean {
  return path === '/' || /^\/dashboard\/[\w.-]+$/.test(path);
}
