import { describe, expect, it } from 'vitest';
import {
  aggregateMetrics,
  compiled,
  Database,
  MetricRecord,
  selectTrades,
  type TradeInput,
} from '../src/index.ts';
import { countRows } from './support/count-rows.ts';
import { tempDirectory } from './support/temp-directory.ts';

const dir = tempDirectory();
const WRITERS = 8;
const READERS = 8;
const SINGLE_INSERTS = 50;
const TRADE_BATCHES = 5;
const TRADES_PER_BATCH = 5;
const T0 = Date.UTC(2024, 0, 2);

const perWriter = compiled<{ symbol: string; n: number }>(
  'SELECT symbol, count(*)::INTEGER AS n FROM trading_metrics GROUP BY symbol ORDER BY symbol',
  [],
);

describe('8 concurrent writers and 8 readers through the pool', () => {
  it('end with exact row counts, readers never seeing a count go back', async () => {
    const path = dir.path('concurrent.duckdb');
    const db = await Database.open({ path, pool: { max: 6, min: 2 } });
    let writing = true;
    const writer = async (w: number) => {
      const symbol = `W${w}`;
      for (let i = 0; i < SINGLE_INSERTS; i++) {
        await db.insertMetric(
          new MetricRecord('concurrent', i, T0 + i * 1000).withSymbol(symbol).addLabel('writer', w),
        );
        if (i % (SINGLE_INSERTS / TRADE_BATCHES) === 0) {
          const batch = Array.from(
            { length: TRADES_PER_BATCH },
            (_, k): TradeInput => ({
              timestamp: T0 + i * 1000 + k,
              symbol,
              venue: 'v',
              side: k % 2 === 0 ? 'buy' : 'sell',
              quantity: 1,
              price: 100 + k,
            }),
          );
          await db.insertTrades(batch);
        }
      }
    };
    const reader = async () => {
      const seen = new Map<string, number>();
      let reads = 0;
      while (writing || reads === 0) {
        for (const row of await db.all(perWriter)) {
          expect(row.n).toBeGreaterThanOrEqual(seen.get(row.symbol) ?? 0);
          seen.set(row.symbol, row.n);
        }
        const buckets = await db.execute(aggregateMetrics('concurrent').interval('1h').fn('count'));
        expect(buckets.rows.every((r) => r.value === r.samples)).toBe(true);
        await db.execute(selectTrades().symbol('W0').limit(10));
        reads++;
      }
      return reads;
    };

    const readers = Array.from({ length: READERS }, reader);
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    const reads = await Promise.all(readers);
    expect(reads.every((n) => n > 0)).toBe(true);

    expect(await countRows(db, 'trading_metrics')).toBe(WRITERS * SINGLE_INSERTS);
    expect(await countRows(db, 'trading_trades')).toBe(WRITERS * TRADE_BATCHES * TRADES_PER_BATCH);
    expect(await db.all(perWriter)).toEqual(
      Array.from({ length: WRITERS }, (_, w) => ({ symbol: `W${w}`, n: SINGLE_INSERTS })),
    );
    // Group commit: far fewer commits than writes.
    expect(db.writerStats().commits).toBeLessThan((WRITERS * (SINGLE_INSERTS + TRADE_BATCHES)) / 2);
    expect(db.writerStats().failedJobs).toBe(0);
    expect(db.poolStats()).toMatchObject({ borrowed: 0, pending: 0 });
    await db.close();

    const reopened = await Database.open(path);
    try {
      expect(await countRows(reopened, 'trading_metrics')).toBe(WRITERS * SINGLE_INSERTS);
      expect(await countRows(reopened, 'trading_trades')).toBe(WRITERS * TRADE_BATCHES * TRADES_PER_BATCH);
    } finally {
      await reopened.close();
    }
  });

  it('serves more concurrent readers than connections by queueing, not failing', async () => {
    const db = await Database.open({ path: ':memory:', pool: { max: 2, min: 1, acquireTimeoutMs: 30_000 } });
    try {
      await db.insertMetrics(Array.from({ length: 100 }, (_, i) => new MetricRecord('q', i, T0 + i)));
      const counts = await Promise.all(
        Array.from({ length: 32 }, () =>
          db.all(
            compiled<{ n: number }>(
              "SELECT count(*)::INTEGER AS n FROM trading_metrics WHERE name = 'q'",
              [],
            ),
          ),
        ),
      );
      expect(counts.every((rows) => rows[0]?.n === 100)).toBe(true);
      expect(db.poolStats().size).toBeLessThanOrEqual(2);
    } finally {
      await db.close();
    }
  });
});
