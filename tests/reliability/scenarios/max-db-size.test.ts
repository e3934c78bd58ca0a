import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { scale } from '../src/scale.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SeqBodyTemplate } from '../src/seq-body-template.ts';
import { SeqLoad } from '../src/seq-load.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { mib, sleep } from '../src/stats.ts';
import { auditSeqs, readStoredSeqs } from '../src/stored-seqs.ts';

const report = new ScenarioReport('13 database size cap');
afterAll(() => report.publish());

const MIB = 1024 * 1024;
const POINTS_PER_REQUEST = 1000;
const CLIENTS = 4;
const CHECK_INTERVAL_MS = 500;

const sizeOf = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

describe('database size cap', () => {
  it('keeps the file under --max-db-size plus one batch while ingest goes on, deleting the oldest points', async () => {
    const { long } = scale();
    const capMiB = long ? 64 : 16;
    const loadMs = long ? 300_000 : 45_000;
    await using dir = await tempDir('reliability-size-');
    const db = join(dir.path, 'capped.duckdb');
    const config = join(dir.path, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({ plugins: { retention: { sizeCheckIntervalMs: CHECK_INTERVAL_MS } } }),
    );
    const sidecar = await SidecarProcess.start({
      db,
      args: ['--config', config, '--max-db-size', `${capMiB}MiB`, '--memory-limit', '256MB'],
    });
    report.attachLog('sidecar', () => sidecar.output());
    const template = new SeqBodyTemplate(POINTS_PER_REQUEST);
    const load = new SeqLoad({
      url: sidecar.url,
      headers: sidecar.authHeaders,
      template,
      concurrency: CLIENTS,
      timeoutMs: 60_000,
    }).start();
    let maxFile = 0;
    let maxMain = 0;
    let maxWal = 0;
    const ackedBy: number[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < loadMs) {
      await sleep(100);
      const main = sizeOf(db);
      const wal = sizeOf(`${db}.wal`);
      maxMain = Math.max(maxMain, main);
      maxWal = Math.max(maxWal, wal);
      maxFile = Math.max(maxFile, main + wal);
      ackedBy.push(load.stats().ackedPoints);
    }
    const stats = await load.stop();
    const metrics = (await sidecar.get('/metrics')).text;
    const events = await sidecar.get('/api/v1/events?source=duckside.retention&limit=1000');
    const exit = await sidecar.stop();
    const audit = await auditSeqs(db, load.ackedFirstSeqs, POINTS_PER_REQUEST);
    // Deleted oldest first: acknowledged points newer than the oldest one kept are all there (slack: the
    // requests in flight at once, whose times interleave).
    const values = await readStoredSeqs(db);
    const kept = new Set(values);
    const oldestKept = values.reduce((min, v) => Math.min(min, v), Number.POSITIVE_INFINITY);
    let goneAmongNewer = 0;
    for (const first of load.ackedFirstSeqs) {
      for (let v = first; v < first + POINTS_PER_REQUEST; v++)
        if (v > oldestKept && !kept.has(v)) goneAmongNewer++;
    }
    const lastTenth = ackedBy.slice(Math.floor(ackedBy.length * 0.9));
    const ackedLastTenth = (lastTenth.at(-1) ?? 0) - (lastTenth[0] ?? 0);
    const deleted = [
      ...metrics.matchAll(/^duckside_retention_size_deleted_rows_total\{table="([a-z_]+)"\} (\d+)$/gm),
    ];
    // Passes go on until shutdown: count the deleted points from every pass's log line.
    const deletedPoints = sidecar
      .output()
      .split('\n')
      .filter((line) => line.includes('outgrew --max-db-size'))
      .reduce((sum, line) => sum + Number(JSON.parse(line).deleted?.trading_metrics ?? 0), 0);

    const cap = capMiB * MIB;
    report.figure('cap / size checks', `${capMiB} MiB / every ${CHECK_INTERVAL_MS} ms`);
    report.figure(
      'acknowledged',
      `${stats.ackedPoints} points in ${(loadMs / 1000).toFixed(0)} s (${((stats.ackedPoints / loadMs) * 1000).toFixed(0)}/s), statuses ${JSON.stringify(stats.statuses)}`,
    );
    report.check(
      'largest file (.duckdb + .wal) / .duckdb alone / .wal alone',
      `${mib(maxFile)} / ${mib(maxMain)} / ${mib(maxWal)}`,
      '.duckdb + .wal <= cap + 8 MiB: one batch (the writes between two checks, in the WAL until the batch checkpoints them, and up to 4 MiB of WAL for the rows the batch deletes)',
      maxFile <= cap + 8 * MIB,
    );
    report.check(
      'retention deleted the oldest points (rows, /metrics; events recorded)',
      `${deletedPoints} by the end (at the last scrape: ${deleted.map((m) => `${m[1]}=${m[2]}`).join(', ')}); ${events.text.match(/"source":"duckside.retention"/g)?.length ?? 0} events`,
      '> 0; >= 1 event',
      deletedPoints > 0 && /"source":"duckside.retention"/.test(events.text),
    );
    report.check(
      'ingest continued: points acknowledged in the last tenth of the load',
      ackedLastTenth,
      '> 0',
      ackedLastTenth > 0,
    );
    report.check(
      'stored = acknowledged minus the deleted oldest (none lost among the newest, none duplicated)',
      `${audit.storedRows} stored, ${audit.ackedPoints} acknowledged, ${audit.missing} gone (deleted ${deletedPoints}), ${audit.duplicates} duplicated`,
      'gone == deleted, 0 duplicated',
      audit.missing === deletedPoints && audit.duplicates === 0 && kept.size > 0,
    );
    report.check(
      'oldest first: acknowledged points newer than the oldest kept that are gone',
      `${goneAmongNewer} (oldest kept: ${oldestKept})`,
      `<= ${CLIENTS * POINTS_PER_REQUEST} (the requests in flight at once)`,
      goneAmongNewer <= CLIENTS * POINTS_PER_REQUEST,
    );
    report.check('exit code', exit.code ?? -1, '0', exit.code === 0);
    expect(report.failures().map((f) => `${f.name}: ${f.value}`)).toEqual([]);
  });
});
