import {
  appendFileSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../src/fuzz/random.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SeqBodyTemplate } from '../src/seq-body-template.ts';
import { SeqLoad } from '../src/seq-load.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { sleep } from '../src/stats.ts';
import { auditSeqs } from '../src/stored-seqs.ts';

const report = new ScenarioReport('2 WAL damage');
afterAll(() => report.publish());

/** Ways to damage the WAL left by a SIGKILL. */
const DAMAGES: Record<string, (wal: string, rng: Random) => void> = {
  'truncate to half': (wal) => truncateSync(wal, Math.floor(statSync(wal).size / 2)),
  'append 64 KiB garbage': (wal, rng) => appendFileSync(wal, rng.bytes(64 * 1024)),
  'overwrite 4 KiB in the middle': (wal, rng) =>
    overwrite(wal, Math.floor(statSync(wal).size / 2), rng.bytes(4096)),
  'overwrite the header': (wal, rng) => overwrite(wal, 0, rng.bytes(512)),
};

describe('WAL damage', () => {
  it('starts with checkpointed data intact whatever happened to the WAL', async () => {
    await using dir = await tempDir('reliability-wal-');
    const db = join(dir.path, 'wal.duckdb');
    const template = new SeqBodyTemplate(200);
    const rng = new Random(4242);

    // Phase A: ingest, then a clean stop (checkpoint): this data must survive any WAL damage.
    let sidecar = await SidecarProcess.start({ db });
    const a = await runLoad(sidecar, template, 0, 1500);
    await sidecar.stop();
    // Phase B: ingest briefly (below DuckDB's 16 MiB auto-checkpoint threshold), then SIGKILL: B lives in the WAL.
    sidecar = await SidecarProcess.start({ db });
    const b = await runLoad(sidecar, template, a.seqEnd, 400);
    await sidecar.crash();
    const walBytes = existsSync(`${db}.wal`) ? statSync(`${db}.wal`).size : 0;
    report.figure('points checkpointed (A) / in the WAL only (B)', `${a.ackedPoints} / ${b.ackedPoints}`);
    report.figure('WAL size after SIGKILL', `${(walBytes / 1024).toFixed(0)} KiB`);
    expect(walBytes, 'the SIGKILL must leave a WAL to damage').toBeGreaterThan(0);

    for (const [name, damage] of Object.entries(DAMAGES)) {
      const caseDir = join(dir.path, name.replaceAll(' ', '-'));
      const copy = join(caseDir, 'wal.duckdb');
      mkdirSync(caseDir);
      copyFileSync(db, copy);
      copyFileSync(`${db}.wal`, `${copy}.wal`);
      damage(`${copy}.wal`, rng);

      let started: SidecarProcess | undefined;
      let startError = '';
      try {
        started = await SidecarProcess.start({ db: copy });
      } catch (error) {
        startError = String(error).slice(0, 300);
      }
      report.check(
        `${name}: sidecar starts`,
        started ? 'yes' : `no: ${startError}`,
        'yes',
        started !== undefined,
      );
      if (!started) continue;
      const asideFiles = readdirSync(caseDir).filter((f) => f.startsWith('wal.duckdb.wal.corrupt-'));
      const recoveries = (await started.metric('duckside_wal_recoveries_total')) ?? 0;
      const probe = await runLoad(started, template, b.seqEnd + 1_000_000, 200);
      await started.stop();
      const loudError = started
        .output()
        .split('\n')
        .some((line) => line.includes('"level":"error"') && /write-ahead log/i.test(line));
      if (asideFiles.length > 0) {
        report.check(
          `${name}: WAL moved aside with an error log and a metric`,
          `file ${asideFiles.length}, error log ${loudError}, metric ${recoveries}`,
          'file, error log, metric >= 1',
          loudError && recoveries >= 1,
        );
      } else {
        report.figure(`${name}: WAL replayed (not moved aside)`, `metric ${recoveries}`);
      }
      const auditA = await auditSeqs(copy, a.ackedFirstSeqs, template.points);
      const auditB = await auditSeqs(copy, b.ackedFirstSeqs, template.points);
      report.check(`${name}: checkpointed points missing`, auditA.missing, '0', auditA.missing === 0);
      report.figure(
        `${name}: WAL-only points recovered`,
        `${auditB.ackedPoints - auditB.missing} of ${auditB.ackedPoints}`,
      );
      report.check(
        `${name}: ingest after start`,
        `${probe.ackedPoints} points acked`,
        '> 0',
        probe.ackedPoints > 0,
      );
    }
    const failed = report.failures();
    expect(failed.map((f) => `${f.name}: ${f.value}`)).toEqual([]);
  });
});

async function runLoad(sidecar: SidecarProcess, template: SeqBodyTemplate, firstSeq: number, forMs: number) {
  const load = new SeqLoad({
    url: sidecar.url,
    headers: sidecar.authHeaders,
    template,
    concurrency: 4,
    firstSeq,
  });
  load.start();
  await sleep(forMs);
  await load.stop();
  return { ackedFirstSeqs: load.ackedFirstSeqs, ackedPoints: load.stats().ackedPoints, seqEnd: load.seqEnd };
}

function overwrite(path: string, at: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, at);
  } finally {
    closeSync(fd);
  }
}
