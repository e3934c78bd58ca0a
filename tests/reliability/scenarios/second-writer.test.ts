import { join } from 'node:path';
import { tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/run-cli.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SeqBodyTemplate } from '../src/seq-body-template.ts';
import { SeqLoad } from '../src/seq-load.ts';
import { MIGRATOR_BIN, SIDECAR_BIN, SidecarProcess, TEST_TOKEN } from '../src/sidecar-process.ts';
import { ms } from '../src/stats.ts';
import { auditSeqs } from '../src/stored-seqs.ts';

const report = new ScenarioReport('4 second writer');
afterAll(() => report.publish());

describe('second writer on the same file', () => {
  it('a second sidecar and the migrator exit non-zero within 2 s with a lock message; the first sees no errors', async () => {
    await using dir = await tempDir('reliability-lock-');
    const db = join(dir.path, 'lock.duckdb');
    const template = new SeqBodyTemplate(200);
    const first = await SidecarProcess.start({ db });
    report.attachLog('first-sidecar', () => first.output());
    const load = new SeqLoad({
      url: first.url,
      headers: first.authHeaders,
      template,
      concurrency: 4,
    }).start();

    // Each intruder is timed against the same CLI's bare start-up (`--version`/`--help`, run just before on the
    // same busy machine): the difference is what the lock costs; the raw time is reported too.
    const intruders: Array<[string, string, string[], string[]]> = [
      ['second sidecar', SIDECAR_BIN, ['--db', db, '--port', '0', '--token', TEST_TOKEN], ['--version']],
      ['duckside-migrate status', MIGRATOR_BIN, ['status', '--db', db], ['--help']],
      ['duckside-migrate up', MIGRATOR_BIN, ['up', '--db', db], ['--help']],
    ];
    for (const [name, bin, args, bare] of intruders) {
      const baseline = await runCli(bin, bare, { timeoutMs: 15_000 });
      const result = await runCli(bin, args, { timeoutMs: 15_000 });
      const lockMessage = /lock/i.test(result.output);
      const beyondStartup = result.ms - baseline.ms;
      report.check(
        `${name}: exit`,
        `code ${result.code ?? result.signal}${lockMessage ? ', lock message' : ''}, ${ms(result.ms)} = start-up ${ms(baseline.ms)} + ${ms(beyondStartup)}`,
        'non-zero, lock message, < 2000 ms beyond start-up',
        result.code !== 0 && result.code !== null && lockMessage && beyondStartup < 2000 && !result.timedOut,
      );
      if (!lockMessage) report.figure(`${name}: output`, result.output.trim().slice(-300) || '(none)');
    }

    const stats = await load.stop();
    const exit = await first.stop();
    const errors = first
      .output()
      .split('\n')
      .filter((line) => line.includes('"level":"error"'));
    const audit = await auditSeqs(db, load.ackedFirstSeqs, template.points);
    const non200 = stats.sent - (stats.statuses[200] ?? 0);
    report.check('first sidecar: failed requests during the attempts', non200, '0', non200 === 0);
    report.check('first sidecar: error log lines', errors.length, '0', errors.length === 0);
    report.check('first sidecar: acknowledged points missing', audit.missing, '0', audit.missing === 0);
    report.check('first sidecar: exit code', String(exit.code), '0', exit.code === 0);

    expect(report.failures().map((f) => `${f.name}: ${f.value}`)).toEqual([]);
  });
});
