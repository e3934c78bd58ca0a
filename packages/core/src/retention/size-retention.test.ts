import { describe, expect, it } from 'vitest';
import { readTable } from '../../test/support/read-table.ts';
import { sampleTrade } from '../../test/support/sample-records.ts';
import { tempDirectory } from '../../test/support/temp-directory.ts';
import { Database } from '../database/database.ts';
import { TradeRecord } from '../models/trade-record.ts';

const dir = tempDirectory();
const ROWS = 1_500_000;

/** `n` gauge points of one series, one per millisecond from `fromMs`, appended in time order with SQL. */
async function addPoints(db: Database, fromMs: number, n: number): Promise<void> {
  await db.withConnection((c) =>
    c.run(
      `INSERT INTO metric_points (series_id, ts, time_unix_nano, kind, value)
       SELECT 1, make_timestamp(($1 + i) * 1000), ($1 + i) * 1000000, 1, random() FROM range($2) r(i)`,
      [fromMs, n],
    ),
  );
  await db.checkpoint();
}

async function span(db: Database, view: string): Promise<{ n: number; oldest: number; newest: number }> {
  const [row] = await readTable(
    db,
    `SELECT count(*)::INTEGER AS n, epoch_ms(min(ts)) AS oldest, epoch_ms(max(ts)) AS newest FROM ${view}`,
  );
  return { n: row?.n as number, oldest: Number(row?.oldest), newest: Number(row?.newest) };
}

describe('trimToSize', () => {
  it('deletes the oldest rows first until the used bytes are under the target, and the freed blocks are reused', async () => {
    await using db = await Database.open({ path: dir.path('trim.duckdb'), maxSeriesPerMetric: 0 });
    // Trades older than every point: the oldest data of all, deleted first.
    await db.insertTrades([new TradeRecord(sampleTrade({ timestamp: 1_000 }))]);
    await addPoints(db, 10_000_000, ROWS);
    const full = await db.storageSize();
    const maxBytes = Math.floor(full.usedBytes * 0.6);

    const report = await db.trimToSize({ maxBytes, batchRows: 200_000 });

    expect(report.outcome).toBe('target-reached');
    expect(report.after.usedBytes).toBeLessThanOrEqual(maxBytes * 0.9);
    expect(report.before.usedBytes).toBe(full.usedBytes);
    expect(report.batches).toBeGreaterThan(1);
    const left = await span(db, 'metric_points');
    expect(report.deleted).toEqual({ trading_trades: 1, trading_metrics: ROWS - left.n });
    // What is left is the newest, without a gap.
    expect(left.newest).toBe(10_000_000 + ROWS - 1);
    expect(left.newest - left.oldest + 1).toBe(left.n);
    expect((await span(db, 'trading_trades')).n).toBe(0);

    // The file keeps its freed blocks: over the limit, but not its used bytes, so a pass only checkpoints.
    const again = await db.trimToSize({ maxBytes });
    expect(again.before.fileBytes).toBeGreaterThan(maxBytes);
    expect([again.outcome, again.batches, again.deleted]).toEqual(['checkpointed', 0, {}]);

    // New rows go to the blocks the deletes freed: the file does not grow (half as many rows as were deleted;
    // the row group at the edge of the deleted ones keeps its blocks until it is empty).
    await addPoints(db, 20_000_000, Math.floor((ROWS - left.n) / 2));
    expect((await db.storageSize()).fileBytes).toBeLessThanOrEqual(full.fileBytes);
  });

  it('does nothing under the limit, and stops when no data is left', async () => {
    await using db = await Database.open({ path: dir.path('small.duckdb'), maxSeriesPerMetric: 0 });
    await addPoints(db, 0, 1000);
    const size = await db.storageSize();
    const noop = await db.trimToSize({ maxBytes: size.fileBytes });
    expect([noop.outcome, noop.batches, noop.deleted]).toEqual(['under-limit', 0, {}]);

    const all = await db.trimToSize({ maxBytes: 1 });
    expect(all.outcome).toBe('nothing-to-delete');
    expect(all.deleted).toEqual({ trading_metrics: 1000 });
  });

  it('reports zeros for an in-memory database', async () => {
    await using db = await Database.open(':memory:');
    expect(await db.storageSize()).toEqual({
      fileBytes: 0,
      walBytes: 0,
      usedBytes: 0,
      freeBytes: 0,
      blockSize: 0,
    });
    expect((await db.trimToSize({ maxBytes: 1 })).outcome).toBe('under-limit');
  });
});
