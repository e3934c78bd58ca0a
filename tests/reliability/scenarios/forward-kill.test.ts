import { join } from 'node:path';
import { freePort, tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../src/fuzz/random.ts';
import { scale } from '../src/scale.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SeqBodyTemplate } from '../src/seq-body-template.ts';
import { SeqLoad } from '../src/seq-load.ts';
import { SidecarProcess, TEST_TOKEN } from '../src/sidecar-process.ts';
import { ms, sleep } from '../src/stats.ts';
import { auditSeqs } from '../src/stored-seqs.ts';

const report = new ScenarioReport('14 kill -9 while forwarding');
afterAll(() => report.publish());

describe('kill -9 of a forwarding sidecar', () => {
  it('delivers upstream every point it acknowledged, across SIGKILLs with a queue on disk and upstream restarts', async () => {
    const { kills } = scale();
    await using dir = await tempDir('reliability-forward-');
    const db = join(dir.path, 'forwarder.duckdb');
    const upDb = join(dir.path, 'upstream.duckdb');
    const [port, upPort] = [await freePort(), await freePort()];
    const rng = new Random(Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000));
    report.figure('random seed', rng.seed);
    const args = [
      '--forward-otlp',
      `http://127.0.0.1:${upPort}/v1/metrics`,
      '--forward-otlp-header',
      `authorization=Bearer ${TEST_TOKEN}`,
    ];
    const template = new SeqBodyTemplate(200);
    const acked: number[] = [];
    let nextSeq = 0;
    const notes: string[] = [];
    let upstream: SidecarProcess | undefined;
    let sidecar = await SidecarProcess.start({ db, port, args });
    report.attachLog('forwarder', () => sidecar.output());
    for (let round = 0; round < kills; round++) {
      // The upstream is down in even rounds (the queue grows), up in odd ones (it drains while the load goes on);
      // every other time it goes down with SIGKILL instead of SIGTERM.
      if (round % 2 === 1 && upstream === undefined) {
        upstream = await SidecarProcess.start({ db: upDb, port: upPort });
        report.attachLog('upstream', () => upstream?.output() ?? '');
      } else if (round % 2 === 0 && upstream !== undefined) {
        if (round % 4 === 0) await upstream.crash();
        else await upstream.stop();
        upstream = undefined;
      }
      const load = new SeqLoad({
        url: sidecar.url,
        headers: sidecar.authHeaders,
        template,
        concurrency: 4,
        firstSeq: nextSeq,
      });
      load.start();
      const delay = 300 + rng.int(2700);
      await sleep(delay);
      const queued = (await sidecar.metric('duckside_forward_queue_bytes')) ?? 0;
      await sidecar.crash();
      await load.stop();
      acked.push(...load.ackedFirstSeqs);
      nextSeq = load.seqEnd;
      notes.push(`${delay}ms/${upstream ? 'up' : 'down'}/queue ${(queued / 1024).toFixed(0)}KiB`);
      sidecar = await SidecarProcess.start({ db, port, args });
    }
    upstream ??= await SidecarProcess.start({ db: upDb, port: upPort });
    const drainStart = performance.now();
    let drained = false;
    while (!drained && performance.now() - drainStart < 120_000) {
      drained = (await sidecar.metric('duckside_forward_queue_bytes')) === 0;
      if (!drained) await sleep(200);
    }
    const drainMs = performance.now() - drainStart;
    const retries = (await sidecar.metric('duckside_forward_retries_total')) ?? 0;
    const dropped = (await sidecar.metric('duckside_forward_dropped_requests_total')) ?? 0;
    const exit = await sidecar.stop();
    const upExit = await upstream.stop();
    const local = await auditSeqs(db, acked, template.points);
    const remote = await auditSeqs(upDb, acked, template.points);

    report.figure('kills of the forwarder', kills);
    report.figure('kill moments (after ready / upstream / queue on disk)', notes.join(', '));
    report.figure('acknowledged points', local.ackedPoints);
    report.figure('queue drained after the last restart', ms(drainMs));
    report.figure('upstream retries (last run)', retries);
    report.check('acknowledged points missing locally', local.missing, '0', local.missing === 0);
    report.check('acknowledged points missing upstream', remote.missing, '0', remote.missing === 0);
    report.figure('points stored upstream more than once (at least once)', remote.duplicates);
    report.figure('points upstream that were stored but not acknowledged locally', remote.storedUnacked);
    report.check('requests dropped by the forwarder', dropped, '0', dropped === 0);
    report.check(
      'final SIGTERM exit codes',
      `${exit.code}/${upExit.code}`,
      '0/0',
      exit.code === 0 && upExit.code === 0,
    );

    expect(drained).toBe(true);
    expect(local.missing).toBe(0);
    expect(remote.missing, `missing upstream e.g. ${remote.missingExamples.join(', ')}`).toBe(0);
    expect(local.ackedPoints).toBeGreaterThan(0);
    expect(dropped).toBe(0);
    expect(exit.code).toBe(0);
    expect(upExit.code).toBe(0);
  });
});
