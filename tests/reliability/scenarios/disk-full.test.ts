import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SeqBodyTemplate } from '../src/seq-body-template.ts';
import { SeqLoad } from '../src/seq-load.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { mountSmallDisk, type SmallDisk } from '../src/small-disk.ts';
import { ms, sleep } from '../src/stats.ts';
import { auditSeqs } from '../src/stored-seqs.ts';

const report = new ScenarioReport('11 disk full');
afterAll(() => report.publish());

const MIB = 1024 * 1024;
const DISK_FULL_PLUGIN = fileURLToPath(new URL('../src/disk-full-plugin.ts', import.meta.url));

/** Where the disk runs out: a WAL append (small WAL), or the checkpoint DuckDB runs when the WAL reaches 16 MiB. */
const ROUNDS = [
  { name: 'WAL append', walMiB: 0, leaveMiB: 2 },
  { name: 'checkpoint', walMiB: 12, leaveMiB: 5 },
];

describe('disk full', () => {
  it('answers ingest 503 (never 200) while the disk is full and recovers once space is freed', async () => {
    await using dir = await tempDir('reliability-disk-');
    const probe = mountSmallDisk(dir.path, 1);
    probe?.unmount();
    const rounds = probe
      ? ROUNDS
      : [{ name: 'fault plugin (mount not allowed here)', walMiB: 0, leaveMiB: 0 }];
    report.figure('how the disk fills', probe ? 'a 64 MiB tmpfs filled with a filler file' : 'fault plugin');
    for (const [i, round] of rounds.entries()) {
      const roundDir = join(dir.path, `round-${i}`);
      mkdirSync(roundDir);
      await using disk = probe ? mountSmallDisk(roundDir, 64) : undefined;
      await runRound(round, roundDir, disk);
    }
    expect(report.failures().map((f) => `${f.name}: ${f.value}`)).toEqual([]);
  });
});

async function runRound(
  round: (typeof ROUNDS)[number],
  dir: string,
  disk: SmallDisk | undefined,
): Promise<void> {
  const db = join(disk?.path ?? dir, 'full.duckdb');
  const flag = join(dir, 'disk-full.flag');
  const options = disk
    ? { db }
    : { db, args: ['--plugin', DISK_FULL_PLUGIN], env: { DUCKSIDE_DISK_FULL_FLAG: flag } };
  const sidecar = await SidecarProcess.start(options);
  report.attachLog(`sidecar-${round.name.replaceAll(' ', '-')}`, () => sidecar.output());
  const template = new SeqBodyTemplate(500);
  const load = new SeqLoad({
    url: sidecar.url,
    headers: sidecar.authHeaders,
    template,
    concurrency: 4,
  }).start();
  const walBytes = () => (existsSync(`${db}.wal`) ? statSync(`${db}.wal`).size : 0);
  const warm = performance.now();
  await sleep(500);
  while (walBytes() < round.walMiB * MIB && performance.now() - warm < 20_000) await sleep(20);
  const walAtFill = walBytes();

  if (disk) disk.fill(round.leaveMiB * MIB);
  else writeFileSync(flag, '');
  const filledAt = performance.now();
  let firstRefusalMs = -1;
  while (performance.now() - filledAt < 15_000) {
    await sleep(250);
    const s = load.stats();
    if (firstRefusalMs < 0 && s.sent > (s.statuses[200] ?? 0)) firstRefusalMs = performance.now() - filledAt;
    if (firstRefusalMs >= 0 && performance.now() - filledAt > firstRefusalMs + 3000) break;
  }
  const ready = await sidecar.get('/readyz').catch(() => ({ status: 0 }));

  if (disk) disk.release();
  else rmSync(flag);
  const freedAt = performance.now();
  const okBefore = load.stats().statuses[200] ?? 0;
  let recoveredMs = -1;
  while (performance.now() - freedAt < 30_000) {
    await sleep(100);
    if ((load.stats().statuses[200] ?? 0) >= okBefore + 5) {
      recoveredMs = performance.now() - freedAt;
      break;
    }
  }
  const stats = await load.stop();
  const exit = await sidecar.stop();
  // Whatever happened, a restart with free space must find every acknowledged point.
  const restarted = await SidecarProcess.start(options);
  await restarted.stop();
  const audit = await auditSeqs(db, load.ackedFirstSeqs, template.points);
  const non503 = Object.entries(stats.statuses).filter(([s]) => s !== '200' && s !== '503');

  const r = round.name;
  report.figure(
    `${r}: WAL when filled / statuses`,
    `${(walAtFill / MIB).toFixed(1)} MiB / ${JSON.stringify(stats.statuses)}`,
  );
  report.check(
    `${r}: ingest refused while full`,
    firstRefusalMs >= 0 ? `after ${ms(firstRefusalMs)}, /readyz ${ready.status}` : 'never',
    'yes',
    firstRefusalMs >= 0,
  );
  report.check(
    `${r}: refusals other than 503`,
    non503.map(([s, n]) => `${s} x${n}`).join(', ') || 'none',
    'none',
    non503.length === 0,
  );
  report.check(
    `${r}: recovery after freeing space (5 ingest 200s)`,
    recoveredMs >= 0 ? ms(recoveredMs) : 'none within 30 s',
    '< 30000 ms',
    recoveredMs >= 0,
  );
  report.check(`${r}: SIGTERM exit code`, String(exit.code), '0', exit.code === 0);
  report.check(
    `${r}: acknowledged points missing after a restart`,
    `${audit.missing} of ${audit.ackedPoints}`,
    '0',
    audit.missing === 0,
  );
}
