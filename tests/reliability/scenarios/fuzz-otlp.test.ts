import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { EventLoopLag, LAG_MONITOR_ARGS } from '../src/event-loop-lag.ts';
import { type FuzzCase, FuzzCases } from '../src/fuzz/fuzz-cases.ts';
import { hostileBodies } from '../src/fuzz/hostile-bodies.ts';
import { otlpSeeds } from '../src/fuzz/otlp-seeds.ts';
import { Random } from '../src/fuzz/random.ts';
import { keepAliveAgent, send } from '../src/http-request.ts';
import { LatencyProbe } from '../src/latency-probe.ts';
import { scale } from '../src/scale.ts';
import { ARTIFACTS_DIR, ScenarioReport } from '../src/scenario-report.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { ms, quantile } from '../src/stats.ts';

const report = new ScenarioReport('7 fuzzing /v1/metrics');
afterAll(() => report.publish());

const ALLOWED = new Set([200, 400, 413, 415]);
const CONCURRENCY = Number(process.env.RELIABILITY_FUZZ_CONCURRENCY) || 32;
/** Offending bodies are saved here for reproduction (git-ignored). */
const ARTIFACTS = join(ARTIFACTS_DIR, 'fuzz');

describe('fuzzing the OTLP receiver', () => {
  it('answers only 200/400/413/415 to random and mutated bodies, never crashes, and stays responsive', async () => {
    const { fuzzBodies } = scale();
    const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);
    await using dir = await tempDir('reliability-fuzz-');
    const lagFile = join(dir.path, 'lag.jsonl');
    const sidecar = await SidecarProcess.start({
      db: join(dir.path, 'fuzz.duckdb'),
      nodeArgs: LAG_MONITOR_ARGS,
      env: { DUCKSIDE_LAG_FILE: lagFile },
    });
    report.attachLog('sidecar', () => sidecar.output());
    const lag = new EventLoopLag(sidecar, lagFile);
    lag.begin();
    const url = `${sidecar.url}/v1/metrics`;
    const probe = new LatencyProbe(`${sidecar.url}/healthz`).start();
    const statuses: Record<string, number> = {};
    const byStrategy: Record<string, Record<number, number>> = {};
    const offending: string[] = [];
    const latencies: number[] = [];
    let connectionErrors = 0;
    let sent = 0;

    const submit = async (
      c: FuzzCase,
      agent: ReturnType<typeof keepAliveAgent> | undefined,
      label: string,
    ) => {
      const headers: Record<string, string> = { ...sidecar.authHeaders, 'content-type': c.contentType };
      if (c.contentEncoding) headers['content-encoding'] = c.contentEncoding;
      sent++;
      try {
        const res = await send(url, { headers, body: c.body, agent, timeoutMs: 30_000 });
        latencies.push(res.ms);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        byStrategy[c.strategy] ??= {};
        const counts = byStrategy[c.strategy] as Record<number, number>;
        counts[res.status] = (counts[res.status] ?? 0) + 1;
        const wrong = !ALLOWED.has(res.status) || (c.expected !== undefined && res.status !== c.expected);
        if (wrong && offending.length < 20) offending.push(save(label, res.status, c));
      } catch (error) {
        connectionErrors++;
        if (offending.length < 20) offending.push(save(label, 0, c, String(error)));
      }
    };

    // Hand-made hostile bodies, plain and gzipped, each on a fresh connection.
    const hostile = hostileBodies();
    for (const h of hostile) {
      await submit(
        { strategy: `hostile:${h.name}`, body: h.body, contentType: h.contentType },
        undefined,
        h.name,
      );
      await submit(
        {
          strategy: `hostile:${h.name}+gzip`,
          body: gzipSync(h.body),
          contentType: h.contentType,
          contentEncoding: 'gzip',
        },
        undefined,
        `${h.name}-gzip`,
      );
    }
    const hostileStatuses = Object.entries(byStrategy)
      .filter(([k]) => k.startsWith('hostile:'))
      .map(([k, v]) => `${k.slice(8)}=${Object.keys(v).join('/')}`);

    // Random and mutated bodies from a seeded generator.
    const cases = new FuzzCases(otlpSeeds(), new Random(seed));
    const total = fuzzBodies - sent;
    let issued = 0;
    const started = performance.now();
    const agent = keepAliveAgent(CONCURRENCY);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (issued < total && sidecar.running) {
          const index = issued++;
          await submit(cases.next(), agent, `case-${index}`);
        }
      }),
    );
    agent.destroy();
    const seconds = (performance.now() - started) / 1000;
    await probe.stop();
    const loop = sidecar.running ? await lag.end() : undefined;

    const alive = sidecar.running;
    const valid = alive
      ? await send(url, {
          headers: { ...sidecar.authHeaders, 'content-type': 'application/x-protobuf' },
          body: otlpSeeds().protobuf[0],
        })
      : undefined;
    const exit = alive ? await sidecar.stop() : undefined;
    const crashes = sidecar
      .output()
      .split('\n')
      .filter((line) => /uncaught exception|unhandled promise rejection|FATAL|Segmentation/i.test(line));
    const unexpected = Object.keys(statuses).filter((s) => !ALLOWED.has(Number(s)));
    const seedsOk = statusesOf(byStrategy, 'seed').every((s) => s === 200);
    const foreignOk = statusesOf(byStrategy, 'foreign-type').every((s) => s === 415);
    const probeP99 = quantile(probe.latencies, 0.99);

    report.figure('seed (RELIABILITY_SEED to replay)', seed);
    report.figure(
      'bodies sent',
      `${sent} in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s random phase)`,
    );
    report.figure('statuses', JSON.stringify(statuses));
    report.figure('hostile bodies', hostileStatuses.join(', '));
    report.check(
      'sidecar alive at the end, exit code',
      `${alive}, ${exit?.code ?? '-'}`,
      'true, 0',
      alive && exit?.code === 0,
    );
    report.check(
      'statuses outside 200/400/413/415',
      unexpected.join(',') || 'none',
      'none',
      unexpected.length === 0,
    );
    report.check('requests without a response', connectionErrors, '0', connectionErrors === 0);
    report.check(
      'crash, uncaught or unhandled-rejection log lines',
      crashes.length,
      '0',
      crashes.length === 0,
    );
    report.check(
      'valid seeds answered 200 / foreign types 415',
      `${seedsOk} / ${foreignOk}`,
      'true / true',
      seedsOk && foreignOk,
    );
    report.check('valid body after fuzzing', valid?.status ?? 'no server', '200', valid?.status === 200);
    report.figure(
      'fuzz request latency p50 / p99 / max',
      `${ms(quantile(latencies, 0.5))} / ${ms(quantile(latencies, 0.99))} / ${ms(Math.max(...latencies))}`,
    );
    report.figure('/healthz latency every 20 ms: p99 / failures', `${ms(probeP99)} / ${probe.failures}`);
    report.check(
      'event-loop delay p50 / p99 / max (monitorEventLoopDelay preloaded in the server)',
      loop ? `${ms(loop.p50)} / ${ms(loop.p99)} / ${ms(loop.max)}` : 'no server',
      'p99 < 100 ms',
      loop !== undefined && loop.p99 < 100,
    );
    if (offending.length > 0) report.figure('offending cases saved', offending.slice(0, 5).join(', '));

    expect(report.failures().map((f) => `${f.name}: ${f.value}`)).toEqual([]);
  });
});

function statusesOf(byStrategy: Record<string, Record<number, number>>, prefix: string): number[] {
  return Object.entries(byStrategy)
    .filter(([k]) => k === prefix || (k.startsWith(prefix) && !k.includes('+bad-gzip')))
    .flatMap(([, v]) => Object.keys(v).map(Number));
}

function save(label: string, status: number, c: FuzzCase, error = ''): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const name = `${label}-${status}-${c.strategy.replace(/[^a-z0-9+-]/gi, '_')}`;
  writeFileSync(join(ARTIFACTS, `${name}.bin`), c.body);
  writeFileSync(
    join(ARTIFACTS, `${name}.json`),
    JSON.stringify(
      { status, error, contentType: c.contentType, contentEncoding: c.contentEncoding ?? null },
      null,
      2,
    ),
  );
  return name;
}
