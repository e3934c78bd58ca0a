import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Database } from '../src/index.ts';
import { countRows } from './support/count-rows.ts';
import { tempDirectory } from './support/temp-directory.ts';

const dir = tempDirectory();
const script = fileURLToPath(new URL('./fixtures/write-then-crash.ts', import.meta.url));

describe('a process killed right after creating a database', () => {
  it('leaves a file that opens with every committed row (no schema change left in the WAL)', async () => {
    const path = dir.path('crashed.duckdb');
    const run = promisify(execFile)(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', script, path],
      {
        timeout: 30_000,
      },
    );
    await expect(run).rejects.toMatchObject({ signal: 'SIGKILL' });
    await using db = await Database.open(path);
    expect(await countRows(db, 'system_events')).toBe(1);
    expect(await countRows(db, 'trading_trades')).toBe(1);
    expect((await db.verify()).ok).toBe(true);
  });
});
