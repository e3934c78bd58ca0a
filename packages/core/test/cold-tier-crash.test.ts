import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ColdTier, compiled, Database, type MoveStep, TIER_TABLES } from '../src/index.ts';
import { tempDirectory } from './support/temp-directory.ts';
import { everyView, TIER_T0, writeTierData } from './support/tier-data.ts';

const dir = tempDirectory();
const script = fileURLToPath(new URL('./fixtures/offload-then-crash.ts', import.meta.url));
const DAY = 86_400_000;
const STEPS: MoveStep[] = ['written', 'checked', 'published', 'deleted', 'committed'];

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

describe('a cold tier move killed at any step', { timeout: 240_000 }, () => {
  it('resumes with every row in exactly one tier and no orphan file', async () => {
    const path = dir.path('crash.duckdb');
    const cold = dir.path('crash.cold');
    const open = () => Database.open({ path, externalAccess: false, allowedDirectories: [`${cold}/`] });
    let db = await open();
    await writeTierData(db, 4);
    const before = await everyView(db);
    const total = (
      await db.all(compiled<{ n: number }>('SELECT count(*)::INTEGER AS n FROM main.metric_points', []))
    )[0]?.n;
    await db.close();
    const now = String(TIER_T0 + 4 * DAY);
    for (const step of STEPS) {
      const run = promisify(execFile)(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', script, path, cold, step, now],
        {
          timeout: 60_000,
        },
      );
      await expect(run, step).rejects.toMatchObject({ signal: 'SIGKILL' });
      db = await open();
      const tier = await ColdTier.open(db, { dir: cold, hotDays: 0 });
      expect(await everyView(db), `views after a kill at ${step}`).toEqual(before);
      const stats = await tier.stats();
      for (const t of TIER_TABLES) {
        const hot = await db.withConnection(async (c) =>
          Number((await c.runAndReadAll(`SELECT count(*) FROM main.${t.storage}`)).getRowsJS()[0]?.[0]),
        );
        const cold = stats.tables[t.name]?.rows ?? 0;
        const all = await db.all(compiled<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${t.name}`, []));
        expect(hot + cold, `${t.name} after a kill at ${step}`).toBe(all[0]?.n);
      }
      // Only recorded files are left.
      const recorded = await db.all(
        compiled<{ path: string }>('SELECT path FROM duckside_cold_partitions ORDER BY path', []),
      );
      expect(filesUnder(cold)).toEqual(recorded.map((r) => r.path).sort());
      await db.close();
    }
    db = await open();
    const tier = await ColdTier.open(db, { dir: cold, hotDays: 0 });
    await tier.offload(Number(now));
    expect(await everyView(db)).toEqual(before);
    expect((await tier.stats()).tables.trading_metrics?.rows).toBe(total);
    await db.close();
  });
});
