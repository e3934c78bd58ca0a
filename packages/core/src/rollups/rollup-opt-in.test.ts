import { describe, expect, it } from 'vitest';
import { tempDirectory } from '../../test/support/temp-directory.ts';
import { Database } from '../database/database.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { DEFAULT_ROLLUP_LEVELS } from './rollup-levels.ts';

const dir = tempDirectory();
const T = Date.UTC(2024, 0, 2);

/** Rows waiting for the maintenance step: dirty buckets and pending points. */
async function dirtyRows(db: Database): Promise<number> {
  return db.withConnection(async (c) => {
    let n = 0;
    for (const table of [
      'rollup_dirty',
      'rollup_pending_metrics',
      'rollup_pending_histograms',
      'rollup_pending_trades',
    ]) {
      n += Number(
        (await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${table}`)).getRowObjectsJS()[0]?.n,
      );
    }
    return n;
  });
}

describe('rollups are opt-in', () => {
  it('a database opened without rollup levels marks nothing and answers from raw points', async () => {
    await using db = await Database.open(dir.path('plain.duckdb'));
    await db.insertMetrics([new MetricRecord('plain', 1, T), new MetricRecord('plain', 2, T + 60_000)]);
    expect(await dirtyRows(db)).toBe(0);
    expect(db.rollupLevels).toEqual([]);
  });

  it('a file that keeps rollups has its buckets marked by an opener without levels, and built by one with them', async () => {
    const path = dir.path('kept.duckdb');
    {
      await using db = await Database.open({
        path,
        rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
      });
      await db.insertMetrics([new MetricRecord('kept', 1, T)]);
      await db.catchUpRollups();
      expect(await dirtyRows(db)).toBe(0);
    }
    {
      await using db = await Database.open(path);
      await db.insertMetrics([new MetricRecord('kept', 2, T + 60_000)]);
      expect(await dirtyRows(db)).toBeGreaterThan(0);
      expect(db.rollupLevels).toEqual([]);
    }
    await using db = await Database.open({
      path,
      rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
    });
    expect(await db.catchUpRollups()).toBeGreaterThan(0);
    expect(await dirtyRows(db)).toBe(0);
  });
});
