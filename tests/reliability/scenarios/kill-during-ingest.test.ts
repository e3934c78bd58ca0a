import { statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../src/fuzz/random.ts';
import { scale } from '../src/scale.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SeqBodyTemplate } from '../src/seq-body-template.ts';
import { SeqLoad } from '../src/seq-load.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { ms, sleep } from '../src/stats.ts';
import { auditSeqs, readStoredSeqs } from '../src/stored-seqs.ts';

const report = new ScenarioReport('1 kill -9 during ingest');
afterAll(() => report.publish());

describe('kill -9 during ingest', () => {
  it('keeps every acknowledged point (OTLP/HTTP and OTLP/gRPC clients) across SIGKILLs at random moments and restarts in < 10 s', async () => {
    const { kills } = scale();
    await using dir = await tempDir('reliability-kill-');
    const db = join(dir.path, 'kill.duckdb');
    const port = await freePort();
    const rng = new Random(Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000));
    report.figure('random seed', rng.seed);
    // Retention runs every 300 ms and deletes the "old" points a second load keeps sending, so kills also land
    // during retention deletes; the WAL reaches DuckDB's checkpoint threshold every few seconds under this load.
    const args = ['--retention', 'trading_metrics=1d', '--retention-interval', '300ms'];
    const template = new SeqBodyTemplate(200);
    // A second stream of sequence numbers, sent over OTLP/gRPC at the same time (its own metric name).
    const grpcTemplate = new SeqBodyTemplate(200, 'reliability_seq_grpc');
    const oldTemplate = new SeqBodyTemplate(50, 'reliability_old');

    const acked: number[] = [];
    const grpcAcked: number[] = [];
    let nextSeq = 0;
    let nextGrpcSeq = 0;
    const grpcPort = await freePort();
    const restartMs: number[] = [];
    const killNotes: string[] = [];
    let oldAcked = 0;
    let sidecar = await SidecarProcess.start({ db, port, grpcPort, args });
    report.attachLog('sidecar', () => sidecar.output());
    for (let round = 0; round < kills; round++) {
      const load = new SeqLoad({
        url: sidecar.url,
        headers: sidecar.authHeaders,
        template,
        concurrency: 4,
        firstSeq: nextSeq,
      });
      const old = new SeqLoad({
        url: sidecar.url,
        headers: sidecar.authHeaders,
        template: oldTemplate,
        concurrency: 1,
        ageMs: 2 * 86_400_000,
      });
      const grpc = new SeqLoad({
        url: sidecar.url,
        grpcAddress: sidecar.grpcAddress,
        headers: sidecar.authHeaders,
        template: grpcTemplate,
        concurrency: 2,
        firstSeq: nextGrpcSeq,
      });
      load.start();
      old.start();
      grpc.start();
      const delay = rng.chance(0.2) ? rng.int(150) : 200 + rng.int(2800);
      await sleep(delay);
      const walBytes = fileSize(`${db}.wal`);
      await sidecar.crash();
      await Promise.all([load.stop(), old.stop(), grpc.stop()]);
      acked.push(...load.ackedFirstSeqs);
      grpcAcked.push(...grpc.ackedFirstSeqs);
      nextGrpcSeq = grpc.seqEnd;
      oldAcked += old.stats().ackedPoints;
      nextSeq = load.seqEnd;
      killNotes.push(`${delay}ms/wal ${(walBytes / 1024).toFixed(0)}KiB/acked ${load.stats().ackedPoints}`);
      sidecar = await SidecarProcess.start({ db, port, grpcPort, args });
      restartMs.push(sidecar.readyMs);
    }
    const exit = await sidecar.stop();
    const audit = await auditSeqs(db, acked, template.points);
    const grpcAudit = await auditSeqs(db, grpcAcked, grpcTemplate.points, grpcTemplate.metricName);
    const oldLeft = (await readStoredSeqs(db, 'reliability_old')).length;

    report.figure('kills', kills);
    report.figure('kill moments (after ready / WAL size / points acked)', killNotes.join(', '));
    report.figure('acknowledged points', audit.ackedPoints);
    report.figure('2-day-old points acknowledged / left after retention', `${oldAcked} / ${oldLeft}`);
    report.figure('stored but never acknowledged', audit.storedUnacked);
    report.check('acknowledged points missing', audit.missing, '0', audit.missing === 0);
    report.check('duplicated points', audit.duplicates, '0', audit.duplicates === 0);
    report.figure('acknowledged points over OTLP/gRPC (2 channels)', grpcAudit.ackedPoints);
    report.check('acknowledged gRPC points missing', grpcAudit.missing, '0', grpcAudit.missing === 0);
    report.check('duplicated gRPC points', grpcAudit.duplicates, '0', grpcAudit.duplicates === 0);
    const slowest = Math.max(...restartMs);
    report.check('slowest restart (spawn to /readyz 200)', ms(slowest), '< 10000 ms', slowest < 10_000);
    report.figure('restarts', restartMs.map((t) => t.toFixed(0)).join(', '));
    report.check('final SIGTERM exit code', String(exit.code), '0', exit.code === 0);

    expect(audit.missing, `missing e.g. ${audit.missingExamples.join(', ')}`).toBe(0);
    expect(audit.duplicates).toBe(0);
    expect(audit.ackedPoints).toBeGreaterThan(0);
    expect(grpcAudit.missing, `gRPC missing e.g. ${grpcAudit.missingExamples.join(', ')}`).toBe(0);
    expect(grpcAudit.duplicates).toBe(0);
    expect(grpcAudit.ackedPoints).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(10_000);
    expect(exit.code).toBe(0);
  });
});

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
