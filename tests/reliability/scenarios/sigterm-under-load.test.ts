import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SeqBodyTemplate } from '../src/seq-body-template.ts';
import { SeqLoad } from '../src/seq-load.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { ms, sleep } from '../src/stats.ts';
import { auditSeqs } from '../src/stored-seqs.ts';

const report = new ScenarioReport('3 SIGTERM under load');
afterAll(() => report.publish());

describe('SIGTERM under load', () => {
  it('exits 0 within 10 s, loses no acknowledged point and leaves no .wal', async () => {
    await using dir = await tempDir('reliability-sigterm-');
    const db = join(dir.path, 'term.duckdb');
    const template = new SeqBodyTemplate(500);
    const sidecar = await SidecarProcess.start({ db });
    report.attachLog('sidecar', () => sidecar.output());
    // Gzipped bodies and 16 concurrent requests: inflating and decoding keep requests in flight at the signal.
    const load = new SeqLoad({
      url: sidecar.url,
      headers: sidecar.authHeaders,
      template,
      concurrency: 16,
      gzip: true,
    });
    load.start();
    await sleep(3000);
    const before = load.stats();
    const exit = await sidecar.stop();
    const stats = await load.stop();
    const audit = await auditSeqs(db, load.ackedFirstSeqs, template.points);
    const leftovers = readdirSync(dir.path);

    report.figure('requests before the signal / after', `${before.sent} / ${stats.sent - before.sent}`);
    report.figure('statuses', JSON.stringify(stats.statuses));
    report.figure('connection errors (refused after close)', stats.connectionErrors);
    report.check('exit code', String(exit.code ?? exit.signal), '0', exit.code === 0);
    report.check('time from SIGTERM to exit', ms(exit.ms), '< 10000 ms', exit.ms < 10_000);
    report.check(
      'acknowledged points missing',
      `${audit.missing} of ${audit.ackedPoints}`,
      '0',
      audit.missing === 0,
    );
    report.check('.wal left', String(existsSync(`${db}.wal`)), 'false', !existsSync(`${db}.wal`));
    const others = Object.keys(stats.statuses).filter((s) => s !== '200' && s !== '503');
    report.check('statuses other than 200/503', others.join(',') || 'none', 'none', others.length === 0);

    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(10_000);
    expect(audit.ackedPoints).toBeGreaterThan(0);
    expect(audit.missing, `missing e.g. ${audit.missingExamples.join(', ')}`).toBe(0);
    expect(leftovers).not.toContain('term.duckdb.wal');
    expect(others).toEqual([]);
  });
});
