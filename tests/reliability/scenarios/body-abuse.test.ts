import { join } from 'node:path';
import { tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { deflateBomb, gzipBomb } from '../src/abusive-bodies.ts';
import { send } from '../src/http-request.ts';
import { rawUpload } from '../src/raw-upload.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SeqBodyTemplate } from '../src/seq-body-template.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { mib, ms, sleep } from '../src/stats.ts';

const report = new ScenarioReport('6 body abuse');
afterAll(() => report.publish());

const MIB = 1024 * 1024;
const RSS_BUDGET = 32 * MIB;

interface AbuseCase {
  name: string;
  path: string;
  headers: Record<string, string>;
  /** A buffer sent with Node's HTTP client, or a raw socket upload of that many bytes (chunked or with `contentLength`). */
  body: () => Buffer | { rawBytes: number; contentLength?: number };
  /** Allowed statuses. */
  expect: number[];
  /** The answer must come within this many milliseconds. */
  withinMs?: number;
}

describe('body abuse', () => {
  it('refuses bombs and oversized bodies quickly without growing memory, and rejects invalid gzip', async () => {
    await using dir = await tempDir('reliability-body-');
    const sidecar = await SidecarProcess.start({ db: join(dir.path, 'body.duckdb') });
    report.attachLog('sidecar', () => sidecar.output());
    const bomb1g = gzipBomb(1024);
    const bomb10k = gzipBomb(10);
    const zlibBomb = deflateBomb(64);
    const valid = new SeqBodyTemplate(10).fill(0);
    report.figure(
      'bombs on the wire',
      `gzip ${mib(bomb1g.length)} -> 1024 MiB, ${(bomb10k.length / 1024).toFixed(1)} KiB -> 10 MiB, deflate ${(zlibBomb.length / 1024).toFixed(0)} KiB -> 64 MiB`,
    );
    const proto = { 'content-type': 'application/x-protobuf' };
    const json = { 'content-type': 'application/json' };
    const cases: AbuseCase[] = [];
    for (const [path, type] of [
      ['/v1/metrics', proto],
      ['/api/v1/trades', json],
    ] as const) {
      cases.push(
        {
          name: `${path} gzip bomb 1 GiB`,
          path,
          headers: { ...type, 'content-encoding': 'gzip' },
          body: () => bomb1g,
          expect: [413],
          withinMs: 1000,
        },
        {
          name: `${path} gzip bomb 10 KiB -> 10 MiB`,
          path,
          headers: { ...type, 'content-encoding': 'gzip' },
          body: () => bomb10k,
          expect: [400, 413],
          withinMs: 1000,
        },
        {
          name: `${path} chunked body of 256 MiB`,
          path,
          headers: type,
          body: () => ({ rawBytes: 256 * MIB }),
          expect: [413],
          withinMs: 5000,
        },
        {
          name: `${path} Content-Length of 1 GiB`,
          path,
          headers: type,
          body: () => ({ rawBytes: 0, contentLength: 1024 * MIB }),
          expect: [413],
          withinMs: 1000,
        },
        {
          name: `${path} invalid gzip`,
          path,
          headers: { ...type, 'content-encoding': 'gzip' },
          body: () => Buffer.from('this is not gzip at all'),
          expect: [400],
        },
        {
          name: `${path} truncated gzip`,
          path,
          headers: { ...type, 'content-encoding': 'gzip' },
          body: () => gzipBomb(1).subarray(0, 500),
          expect: [400],
        },
        {
          name: `${path} Content-Encoding br`,
          path,
          headers: { ...type, 'content-encoding': 'br' },
          body: () => valid,
          expect: [415],
        },
      );
    }
    cases.push({
      name: '/v1/metrics deflate bomb 64 MiB',
      path: '/v1/metrics',
      headers: { ...proto, 'content-encoding': 'deflate' },
      body: () => zlibBomb,
      expect: [413],
      withinMs: 1000,
    });

    for (const c of cases) {
      await sleep(200);
      const rssBefore = sidecar.memory().rss;
      const peakReset = sidecar.resetPeakRss();
      const body = c.body();
      const headers = { ...sidecar.authHeaders, ...c.headers };
      const res = Buffer.isBuffer(body)
        ? await send(`${sidecar.url}${c.path}`, { headers, body, timeoutMs: 30_000 })
        : await rawUpload({
            port: sidecar.port,
            path: c.path,
            headers,
            totalBytes: body.rawBytes,
            contentLength: body.contentLength,
          });
      const growth = Math.max(0, sidecar.memory().peakRss - rssBefore);
      const statusOk = c.expect.includes(res.status);
      const timeOk = c.withinMs === undefined || res.ms < c.withinMs;
      const memoryOk = !peakReset || growth < RSS_BUDGET;
      report.check(
        c.name,
        `${res.status} in ${ms(res.ms)}, RSS +${peakReset ? mib(growth) : '?'}`,
        `${c.expect.join('/')}${c.withinMs ? ` < ${c.withinMs} ms` : ''}, RSS < +32 MiB`,
        statusOk && timeOk && memoryOk,
      );
    }
    // A client that keeps uploading after the server refused: the server closes with unread data, the kernel may
    // answer with a reset, and the client may lose the 413 (informational: how often the 413 arrives).
    for (const path of ['/v1/metrics', '/api/v1/trades']) {
      let seen = 0;
      for (let i = 0; i < 5; i++) {
        const r = await rawUpload({
          port: sidecar.port,
          path,
          headers: { ...sidecar.authHeaders, ...json },
          totalBytes: 4 * MIB,
          contentLength: 1024 * MIB,
        });
        if (r.status === 413) seen++;
      }
      report.figure(
        `${path} declared 1 GiB, client keeps sending: 413 received`,
        `${seen} of 5 (else a connection reset)`,
      );
    }
    const health = await sidecar.get('/readyz');
    report.check('/readyz afterwards', health.status, '200', health.status === 200);
    const exit = await sidecar.stop();
    report.check('exit code', String(exit.code), '0', exit.code === 0);
    expect(report.failures().map((f) => `${f.name}: ${f.value}`)).toEqual([]);
  });
});
