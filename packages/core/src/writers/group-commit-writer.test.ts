import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from '../../test/support/count-rows.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { readTable } from '../../test/support/read-table.ts';
import { sampleTrade } from '../../test/support/sample-records.ts';
import { Database } from '../database/database.ts';
import { ClosedError, OverloadedError, ValidationError, WriteError } from '../errors/errors.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { TradeRecord } from '../models/trade-record.ts';
import { type ColumnarTable, estimateBytes } from './columnar-table.ts';
import { emptyScalarPoint, emptySeriesContext } from './empty-points.ts';
import { GroupCommitWriter } from './group-commit-writer.ts';
import { MetricBatch } from './metric-batch.ts';
import { metricsBatch, tradesTable } from './record-tables.ts';

const T = Date.UTC(2024, 0, 2);
const trade = (symbol: string) => new TradeRecord(sampleTrade({ symbol }));

/** A trades table whose symbol is NULL: it passes the writer but violates the NOT NULL constraint. */
function badTradesTable(): ColumnarTable {
  const table = tradesTable([trade('X')]);
  return { ...table, columns: table.columns.map((column, i) => (i === 1 ? [null] : column)) };
}

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
});
afterAll(() => db.close());

describe('group commit through Database', () => {
  it('coalesces concurrent single inserts into few commits', async () => {
    const before = db.writerStats();
    const writes = 500;
    await Promise.all(
      Array.from({ length: writes }, (_, i) => db.insertMetric(new MetricRecord('coalesce', i, T + i))),
    );
    const after = db.writerStats();
    expect(await countRows(db, 'trading_metrics')).toBe(writes);
    // Every write carries its point and (until the first commit makes the series known) its series row.
    expect(after.rowsWritten - before.rowsWritten).toBeGreaterThanOrEqual(writes);
    expect(after.rowsWritten - before.rowsWritten).toBeLessThanOrEqual(writes * 2);
    expect(after.commits - before.commits).toBeLessThanOrEqual(writes / 50);
    expect(after.queuedJobs).toBe(0);
    expect(after.queuedBytes).toBe(0);
  });

  it('sends a series row only until the series is committed', async () => {
    await db.insertMetric(new MetricRecord('known_once', 1, T));
    const before = db.writerStats();
    await db.insertMetric(new MetricRecord('known_once', 2, T + 1));
    expect(db.writerStats().rowsWritten - before.rowsWritten).toBe(1);
    const rows = await readTable(
      db,
      "SELECT value FROM trading_metrics WHERE name = 'known_once' ORDER BY value",
    );
    expect(rows).toEqual([{ value: 1 }, { value: 2 }]);
  });

  it('stores the series of points pushed into a batch while it was being written', async () => {
    const context = emptySeriesContext('pushed_late');
    const point = { ...emptyScalarPoint(), timeMicros: 1_700_000_000_000_000, attributes: '{"a":1}' };
    const batch = new MetricBatch();
    batch.pushScalar(context, point);
    const writing = db.writeMetricBatch(batch);
    batch.pushScalar(context, { ...point, attributes: '{"a":2}' }); // not part of the write under way
    await writing;
    const next = new MetricBatch();
    next.pushScalar(context, { ...point, timeMicros: point.timeMicros + 1, attributes: '{"a":2}' });
    await db.writeMetricBatch(next);
    const rows = await readTable(
      db,
      "SELECT attributes FROM trading_metrics WHERE name = 'pushed_late' ORDER BY ts",
    );
    expect(rows).toEqual([{ attributes: '{"a":1}' }, { attributes: '{"a":2}' }]);
  });

  it('resolves a write only once another connection can read it', async () => {
    await db.withConnection(async (reader) => {
      const count = async () =>
        (
          await reader.runAndReadAll(
            "SELECT count(*)::INTEGER AS n FROM trading_metrics WHERE name = 'visible'",
          )
        ).getRowObjectsJS()[0]?.n;
      for (let i = 1; i <= 20; i++) {
        await db.insertMetric(new MetricRecord('visible', i, T));
        expect(await count()).toBe(i);
      }
    });
  });

  it('fails a bad job alone; the others of its round commit', async () => {
    const before = db.writerStats();
    const symbols = Array.from({ length: 20 }, (_, i) => `round-${i}`);
    // The first write starts a round at once; everything queued meanwhile forms the next round together.
    const first = db.insertTrades([trade('round-first')]);
    const rest = symbols.map((s) => db.insertTrades([trade(s)]));
    const bad = db.writeTables([badTradesTable()]);
    const results = await Promise.allSettled([first, ...rest, bad]);
    expect(results.slice(0, -1).every((r) => r.status === 'fulfilled')).toBe(true);
    const error = await errorOf(ValidationError, () => bad);
    expect(error.message).not.toMatch(/INSERT|SELECT|trading_trades/);
    expect(db.writerStats().failedJobs - before.failedJobs).toBe(1);
    const stored = await db.withConnection(async (c) =>
      (await c.runAndReadAll("SELECT symbol FROM trading_trades WHERE symbol LIKE 'round-%' ORDER BY symbol"))
        .getRowObjectsJS()
        .map((r) => r.symbol),
    );
    expect(stored).toEqual(['round-first', ...symbols].sort());
  });

  it('refuses writes with OverloadedError when the queue is full', async () => {
    const small = await Database.open({ path: ':memory:', writer: { maxQueueBytes: 1 } });
    try {
      // Separate writes (single insertMetric calls of one turn would be coalesced into one).
      const first = small.insertMetrics([new MetricRecord('q', 1, T)]);
      const second = small.insertMetrics([new MetricRecord('q', 2, T)]);
      const third = small.insertMetrics([new MetricRecord('q', 3, T)]);
      const error = await errorOf(OverloadedError, () => third);
      expect(error.code).toBe('overloaded');
      expect(error.retryAfterMs).toBeGreaterThan(0);
      await Promise.all([first, second]);
      expect(await countRows(small, 'trading_metrics')).toBe(2);
      await small.insertMetric(new MetricRecord('q', 4, T));
      expect(await countRows(small, 'trading_metrics')).toBe(3);
    } finally {
      await small.close();
    }
  });
});

describe('GroupCommitWriter', () => {
  it('runs one connection round for many queued writes', async () => {
    let rounds = 0;
    const writer = new GroupCommitWriter((fn) => {
      rounds++;
      return db.withConnection(fn);
    });
    const tables = Array.from({ length: 100 }, (_, i) =>
      metricsBatch([new MetricRecord('direct', i, T)]).toTables(),
    );
    await Promise.all(tables.map((t) => writer.write(t)));
    expect(rounds).toBeLessThanOrEqual(2);
    // Each write holds its point and its series row (stored once: the others are ignored on conflict).
    expect(writer.stats()).toMatchObject({ commits: rounds, rowsWritten: 200, failedJobs: 0, queuedJobs: 0 });
    const [row] = await db.all({
      sql: "SELECT count(*) AS n FROM trading_metrics WHERE name = 'direct'",
      params: [],
    });
    expect(row).toEqual({ n: 100 });
    await writer.close();
    await errorOf(ClosedError, () => writer.write(tables[0] ?? []));
  });

  it('bounds the bytes of one commit round, however much is queued', async () => {
    let rounds = 0;
    const one = metricsBatch([new MetricRecord('bounded', 1, T)]).toTables();
    const bytes = one.reduce((sum, t) => sum + estimateBytes(t), 0);
    const writer = new GroupCommitWriter(
      (fn) => {
        rounds++;
        return db.withConnection(fn);
      },
      { maxRoundBytes: bytes * 3 },
    );
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writer.write(metricsBatch([new MetricRecord('bounded', i, T)]).toTables()),
      ),
    );
    // The first write goes alone (nothing else queued yet), the other 19 at most three per round.
    expect(rounds).toBeGreaterThanOrEqual(1 + Math.ceil(19 / 3));
    expect(writer.stats()).toMatchObject({ rowsWritten: 40, queuedBytes: 0, queuedJobs: 0 });
    await writer.close();
  });

  it('runs an exclusive job alone, outside a transaction, between the writes queued before and after it', async () => {
    const writer = new GroupCommitWriter((fn) => db.withConnection(fn));
    const order: string[] = [];
    const write = (name: string) =>
      writer.write(metricsBatch([new MetricRecord(name, 1, T)]).toTables()).then(() => order.push(name));
    const seen: unknown[] = [];
    const done = Promise.all([
      write('before_exclusive'),
      writer
        .exclusive(async (c) => {
          // Outside a transaction: the earlier write is committed, and a CHECKPOINT is allowed.
          const reader = await c.runAndReadAll(
            "SELECT count(*)::INTEGER FROM trading_metrics WHERE name = 'before_exclusive'",
          );
          seen.push(reader.getRows()[0]?.[0]);
          await c.run('CHECKPOINT');
        })
        .then(() => order.push('exclusive')),
      write('after_exclusive'),
    ]);
    await done;
    expect(order).toEqual(['before_exclusive', 'exclusive', 'after_exclusive']);
    expect(seen).toEqual([1]);
    const failure = new Error('job failed');
    await expect(
      writer.exclusive(async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    await write('still_writing');
    await writer.close();
  });

  it('resolves empty writes without a round', async () => {
    let rounds = 0;
    const writer = new GroupCommitWriter((fn) => {
      rounds++;
      return db.withConnection(fn);
    });
    await writer.write([]);
    await writer.write(metricsBatch([]).toTables());
    expect(rounds).toBe(0);
  });

  it('reports a failure the database gives no reason for as a retryable WriteError with the cause', async () => {
    const diskFull = new Error('IO Error: could not write file: No space left on device');
    const writer = new GroupCommitWriter(async () => {
      throw diskFull;
    });
    const error = await errorOf(WriteError, () =>
      writer.write(metricsBatch([new MetricRecord('x', 1, T)]).toTables()),
    );
    expect(error.cause).toBe(diskFull);
    expect(error.message).not.toContain('IO Error');
    expect(writer.stats()).toMatchObject({ failedJobs: 1, commits: 0 });
  });
});
