import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { allowedParams, sidecarRoutes } from '../src/api-routes.ts';
import { fingerprint } from '../src/db-fingerprint.ts';
import { EventLoopLag, LAG_MONITOR_ARGS } from '../src/event-loop-lag.ts';
import { keepAliveAgent, send } from '../src/http-request.ts';
import { injectionPayloads, PWNED_PREFIX } from '../src/injection-payloads.ts';
import { LatencyProbe } from '../src/latency-probe.ts';
import { QUERY_METRIC, seedQueryData } from '../src/query-data.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SeqBodyTemplate } from '../src/seq-body-template.ts';
import { SeqLoad } from '../src/seq-load.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { ms, quantile, sleep } from '../src/stats.ts';

const report = new ScenarioReport('9 query abuse');
afterAll(() => report.publish());

/** Far below what the runaway aggregations need on BIG_ROWS rows, even on a fast idle machine. */
const QUERY_TIMEOUT_MS = 200;
const BIG_ROWS = 1_000_000;
/** libuv's pool in the server process (the `duckside` launcher sets UV_THREADPOOL_SIZE=16). */
const LIBUV_THREADS = 16;
/** Aggregations that scan and sort every row: far slower than the limit on BIG_ROWS rows. */
const RUNAWAY = [
  `/api/v1/aggregate?name=${QUERY_METRIC}&fn=p99&interval=1s&groupBy=label.k`,
  `/api/v1/aggregate?name=${QUERY_METRIC}&fn=rate&interval=1s&groupBy=label.k`,
  `/api/v1/aggregate?name=${QUERY_METRIC}&fn=p90&interval=1s&groupBy=label.k`,
];
/** The latest point of the last 20 s of the seeded data (a dashboard's bounded query, not a whole-history scan). */
const QUICK = `/api/v1/metrics?name=${QUERY_METRIC}&from=2025-12-06T06:03:00Z&limit=1`;
/** What a leaked database error or stack trace looks like in a response. */
const LEAK =
  /Binder Error|Parser Error|Catalog Error|Conversion Error|INTERNAL|SELECT |FROM trading_|\.ts:\d+/;

describe('query abuse', () => {
  it('changes nothing through 500 injection payloads in every parameter', async () => {
    await using dir = await tempDir('reliability-inject-');
    const db = join(dir.path, 'inject.duckdb');
    await seedQueryData(db, 5000);
    const before = await fingerprint(db);
    const sidecar = await SidecarProcess.start({ db });
    report.attachLog('sidecar', () => sidecar.output());
    const endpoints = (await sidecarRoutes()).filter((r) => r.method === 'GET' && r.path.startsWith('/api/'));
    const payloads = injectionPayloads(500);
    const plan: string[] = [];
    let parameters = 0;
    for (const { path } of endpoints) {
      const allowed = await allowedParams(sidecar, path);
      const base = new URLSearchParams();
      if (allowed.includes('name')) base.set('name', QUERY_METRIC);
      const targets = allowed.filter((p) => p !== 'label.<key>');
      parameters += targets.length + (allowed.includes('label.<key>') ? 2 : 0);
      for (const payload of payloads) {
        for (const param of targets) {
          const q = new URLSearchParams(base);
          q.set(param, payload);
          plan.push(`${path}?${q}`);
        }
        if (allowed.includes('label.<key>')) {
          plan.push(`${path}?${new URLSearchParams([...base, ['label.k', payload]])}`);
          plan.push(`${path}?${new URLSearchParams([...base, [`label.${payload}`, 'v1']])}`);
        }
      }
    }
    const statuses: Record<number, number> = {};
    const offending: string[] = [];
    const agent = keepAliveAgent(16);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < plan.length) {
          const url = plan[next++] as string;
          const res = await send(`${sidecar.url}${url}`, { headers: sidecar.authHeaders, agent }).catch(
            () => undefined,
          );
          const status = res?.status ?? 0;
          statuses[status] = (statuses[status] ?? 0) + 1;
          const leak = res ? LEAK.exec(res.body.toString('utf8')) : null;
          if ((status !== 200 && status !== 400) || leak) {
            if (offending.length < 10)
              offending.push(`${status} ${url.slice(0, 120)}${leak ? ` leaks "${leak[0]}"` : ''}`);
          }
        }
      }),
    );
    agent.destroy();
    const seconds = (performance.now() - t0) / 1000;
    const exit = await sidecar.stop();
    const after = await fingerprint(db);
    const strayFiles = readdirSync(dirname(PWNED_PREFIX)).filter((f) => f.startsWith('duckside-pwned'));
    const dbDirFiles = readdirSync(dir.path).filter((f) => f !== 'inject.duckdb');
    const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);

    report.figure(
      'endpoints / parameters / payloads',
      `${endpoints.length} / ${parameters} / ${payloads.length}`,
    );
    report.figure('requests', `${plan.length} in ${seconds.toFixed(1)} s`);
    report.figure('statuses', JSON.stringify(statuses));
    report.check(
      'answers other than 200/400, or leaking SQL/stack',
      offending.length,
      '0',
      offending.length === 0,
    );
    if (offending.length > 0) report.figure('examples', offending.slice(0, 3).join(' | '));
    report.check(
      'schema and table contents changed',
      changed.join(', ') || 'nothing',
      'nothing',
      changed.length === 0,
    );
    report.check(
      'files written by payloads',
      [...strayFiles, ...dbDirFiles].join(', ') || 'none',
      'none',
      strayFiles.length + dbDirFiles.length === 0 || !existsSync(PWNED_PREFIX),
    );
    report.check('exit code', String(exit.code), '0', exit.code === 0);
    expect(plan.length).toBeGreaterThan(payloads.length * 10);
    expect(offending).toEqual([]);
    expect(changed).toEqual([]);
    expect(strayFiles).toEqual([]);
    expect(dbDirFiles).toEqual([]);
  });

  it('interrupts runaway queries at the limit and keeps /readyz and ingest responsive under a query flood', async () => {
    await using dir = await tempDir('reliability-runaway-');
    const db = join(dir.path, 'runaway.duckdb');
    const seeded = performance.now();
    await seedQueryData(db, BIG_ROWS);
    report.figure('big database', `${BIG_ROWS} metric rows seeded in ${ms(performance.now() - seeded)}`);
    const lagFile = join(dir.path, 'lag.jsonl');
    const sidecar = await SidecarProcess.start({
      db,
      args: ['--query-timeout', `${QUERY_TIMEOUT_MS}ms`],
      nodeArgs: LAG_MONITOR_ARGS,
      env: { DUCKSIDE_LAG_FILE: lagFile },
    });
    report.attachLog('sidecar-runaway', () => sidecar.output());

    // Runaway queries, one at a time: 504 at about the limit.
    const runaway: string[] = [];
    let runawayOk = true;
    for (const path of RUNAWAY) {
      const res = await sidecar.get(path, 30_000);
      runaway.push(`${res.status} in ${ms(res.ms)}`);
      runawayOk &&= res.status === 504 && res.ms < QUERY_TIMEOUT_MS + 1500;
    }
    report.check('runaway queries', runaway.join(', '), `504 < ${QUERY_TIMEOUT_MS + 1500} ms`, runawayOk);
    // Every pooled connection still works: more concurrent quick queries than the pool holds.
    const quick = await Promise.all(Array.from({ length: 24 }, () => sidecar.get(QUICK)));
    const quickOk = quick.filter((r) => r.status === 200).length;
    const quickOther = quick.filter((r) => r.status !== 200).map((r) => `${r.status} in ${ms(r.ms)}`);
    report.check(
      'quick queries right after (24 at once)',
      `${quickOk} of 24 answered 200${quickOther.length > 0 ? ` (others: ${quickOther.join(', ')})` : ''}`,
      '24',
      quickOk === 24,
    );

    // A flood of long queries, more than libuv has threads, while /readyz and ingest are probed.
    const lag = new EventLoopLag(sidecar, lagFile);
    lag.begin();
    const readyz = new LatencyProbe(`${sidecar.url}/readyz`, sidecar.authHeaders, 50).start();
    const ingest = new SeqLoad({
      url: sidecar.url,
      headers: sidecar.authHeaders,
      template: new SeqBodyTemplate(100),
      concurrency: 1,
    }).start();
    const floodStatuses: Record<number, number> = {};
    let flooding = true;
    const floodAgent = keepAliveAgent(3 * LIBUV_THREADS);
    const flood = Array.from({ length: 3 * LIBUV_THREADS }, async (_, i) => {
      while (flooding) {
        const res = await send(`${sidecar.url}${RUNAWAY[i % RUNAWAY.length]}`, {
          headers: sidecar.authHeaders,
          agent: floodAgent,
          timeoutMs: 30_000,
        }).catch(() => undefined);
        const status = res?.status ?? 0;
        floodStatuses[status] = (floodStatuses[status] ?? 0) + 1;
        if (status === 503) await sleep(50);
      }
    });
    await sleep(6000);
    flooding = false;
    await Promise.all(flood);
    floodAgent.destroy();
    await readyz.stop();
    const ingestStats = await ingest.stop();
    const loop = await lag.end();
    const after = await sidecar.get(QUICK);
    const exit = await sidecar.stop();

    const readyP99 = quantile(readyz.latencies, 0.99);
    const readyMax = Math.max(0, ...readyz.latencies);
    const ingestP99 = quantile(ingest.latencies, 0.99);
    const ingestFailed = ingestStats.sent - (ingestStats.statuses[200] ?? 0);
    const floodOthers = Object.keys(floodStatuses).filter((s) => s !== '504' && s !== '503');
    report.figure(
      'flood',
      `${3 * LIBUV_THREADS} clients looping on long queries for 6 s (libuv threads: ${LIBUV_THREADS})`,
    );
    report.check('flood answers', JSON.stringify(floodStatuses), 'only 504/503', floodOthers.length === 0);
    report.check(
      '/readyz during the flood p99 / max / failures',
      `${ms(readyP99)} / ${ms(readyMax)} / ${readyz.failures}`,
      'p99 < 1000 ms, max < 2000 ms, 0',
      readyP99 < 1000 && readyMax < 2000 && readyz.failures === 0,
    );
    report.check(
      'ingest during the flood p99 / not 200',
      `${ms(ingestP99)} / ${ingestFailed} of ${ingestStats.sent}`,
      'p99 < 1000 ms, 0',
      ingestP99 < 1000 && ingestFailed === 0 && ingestStats.sent > 0,
    );
    report.figure(
      'event-loop delay during the flood p50 / p99 / max',
      `${ms(loop.p50)} / ${ms(loop.p99)} / ${ms(loop.max)}`,
    );
    report.check('quick query after the flood', after.status, '200', after.status === 200);
    report.check('exit code', String(exit.code), '0', exit.code === 0);
    expect(report.failures().map((f) => `${f.name}: ${f.value}`)).toEqual([]);
  });
});
