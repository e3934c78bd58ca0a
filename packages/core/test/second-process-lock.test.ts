import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Database } from '../src/index.ts';
import { tempDirectory } from './support/temp-directory.ts';

const dir = tempDirectory();
const script = fileURLToPath(new URL('./fixtures/open-database.ts', import.meta.url));

/** Opens `path` in a second Node process (TypeScript sources through tsx) and returns its JSON report. */
async function openInAnotherProcess(path: string): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', script, path],
    { timeout: 20_000 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() as string);
}

describe('a second process', () => {
  it('gets DatabaseLockedError naming the file while this process holds it', async () => {
    const path = dir.path('held.duckdb');
    const db = await Database.open(path);
    try {
      const report = await openInAnotherProcess(path);
      expect(report).toMatchObject({
        opened: false,
        isDatabaseError: true,
        name: 'DatabaseLockedError',
        code: 'locked',
        path,
      });
      expect(report.message).toContain(path);
      expect(report.message).toMatch(/locked by another process \(PID \d+\)/);
      expect(report.message).not.toMatch(/IO Error|Conflicting lock/);
      // Fails fast rather than waiting for the lock.
      expect(report.ms).toBeLessThan(5000);
    } finally {
      await db.close();
    }
  });

  it('opens the file once this process has closed it', async () => {
    const path = dir.path('released.duckdb');
    const db = await Database.open(path);
    await db.close();
    expect(await openInAnotherProcess(path)).toEqual({ opened: true });
  });
});
