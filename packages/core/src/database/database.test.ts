import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countRows } from '../../test/support/count-rows.ts';
import { deferred } from '../../test/support/deferred.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { tempDirectory } from '../../test/support/temp-directory.ts';
import { ClosedError, ConnectionError, MigrationError, PoolError, QueryError } from '../errors/errors.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { compiled } from '../query/compiled-query.ts';
import { BUILTIN_MIGRATIONS } from '../schema/builtin-migrations.ts';
import { Database } from './database.ts';

const dir = tempDirectory();
const T = Date.UTC(2024, 0, 2);

async function setting(db: Database, name: string): Promise<unknown> {
  const [row] = await db.all(compiled<{ v: unknown }>('SELECT current_setting(?) AS v', [name]));
  return row?.v;
}

describe('Database.open', () => {
  it('creates the folder of a new file, an absolute path and the schema', async () => {
    const path = join(dir.root, 'nested', 'deeper', 'new.duckdb');
    const db = await Database.open({ path });
    try {
      expect(db.path).toBe(path);
      expect(existsSync(path)).toBe(true);
      expect(db.isOpen).toBe(true);
      expect((await db.verify()).ok).toBe(true);
      expect(db.fileSizeBytes()).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('accepts a bare path string and keeps data across reopen', async () => {
    const path = dir.path('reopen.duckdb');
    const db = await Database.open(path);
    await db.insertMetric(new MetricRecord('persisted', 7, T));
    await db.close();
    const again = await Database.open(path);
    try {
      expect(await countRows(again, 'trading_metrics')).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('gives every :memory: open its own database', async () => {
    const a = await Database.open(':memory:');
    const b = await Database.open({ path: ':memory:' });
    try {
      await a.insertMetric(new MetricRecord('only_in_a', 1, T));
      expect(await countRows(a, 'trading_metrics')).toBe(1);
      expect(await countRows(b, 'trading_metrics')).toBe(0);
      expect(a.fileSizeBytes()).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('shares one instance between two opens of the same file', async () => {
    const path = dir.path('shared.duckdb');
    const a = await Database.open(path);
    const b = await Database.open(join(dir.root, '.', 'shared.duckdb'));
    expect(b.path).toBe(a.path);
    await a.insertMetric(new MetricRecord('from_a', 1, T));
    // A second instance on the same file would not see a's committed rows.
    expect(await countRows(b, 'trading_metrics')).toBe(1);
    await a.close();
    await b.insertMetric(new MetricRecord('from_b', 2, T));
    expect(await countRows(b, 'trading_metrics')).toBe(2);
    await b.close();
    const c = await Database.open(path);
    expect(await countRows(c, 'trading_metrics')).toBe(2);
    await c.close();
  });

  it('shares the instance between concurrent opens of the same file', async () => {
    const path = dir.path('concurrent-open.duckdb');
    const [a, b] = await Promise.all([Database.open(path), Database.open(path)]);
    await a.insertMetric(new MetricRecord('from_a', 1, T));
    expect(await countRows(b, 'trading_metrics')).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('leaves user migrations (versions from 1000) recorded by the migrator alone', async () => {
    const path = dir.path('user-migrations.duckdb');
    const db = await Database.open(path);
    await db.withConnection(async (c) => {
      await c.run('CREATE TABLE user_notes (body VARCHAR)');
      await c.run(
        "INSERT INTO duckside_migrations VALUES (1000, 'user_notes', 'checksum', now()::TIMESTAMP, 1)",
      );
    });
    expect(await db.initialize()).toEqual([]);
    const report = await db.verify();
    const latest = BUILTIN_MIGRATIONS.at(-1)!.version;
    expect(report).toMatchObject({ ok: true, currentVersion: latest, expectedVersion: latest });
    await db.close();
    const again = await Database.open(path);
    expect((await again.verify()).ok).toBe(true);
    await again.close();
  });

  it('applies memoryLimit, threads and checkpointThreshold', async () => {
    const db = await Database.open({
      path: ':memory:',
      memoryLimit: '512MiB',
      threads: 3,
      checkpointThreshold: '64MiB',
    });
    try {
      expect(await setting(db, 'memory_limit')).toBe('512.0 MiB');
      expect(Number(await setting(db, 'threads'))).toBe(3);
      expect(await setting(db, 'checkpoint_threshold')).toBe('64.0 MiB');
    } finally {
      await db.close();
    }
    const other = await Database.open({ path: ':memory:', memoryLimit: '300MiB', threads: 1 });
    try {
      expect(await setting(other, 'memory_limit')).toBe('300.0 MiB');
      expect(Number(await setting(other, 'threads'))).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('turns off external access when asked', async () => {
    const csv = dir.path('outside.csv');
    writeFileSync(csv, 'a\n1\n');
    const db = await Database.open({ path: ':memory:', externalAccess: false });
    try {
      expect(await setting(db, 'enable_external_access')).toBe(false);
      const error = await errorOf(QueryError, () => db.all(compiled('SELECT * FROM read_csv(?)', [csv])));
      expect(error.message).not.toContain('read_csv');
    } finally {
      await db.close();
    }
    const open = await Database.open(':memory:');
    try {
      expect(await open.all(compiled('SELECT * FROM read_csv(?)', [csv]))).toEqual([{ a: 1 }]);
    } finally {
      await open.close();
    }
  });

  it('skips the schema with initialize: false; initialize() then applies every version once', async () => {
    const db = await Database.open({ path: ':memory:', initialize: false });
    try {
      const before = await db.verify();
      expect(before.ok).toBe(false);
      expect(before.currentVersion).toBe(0);
      expect(before.differences.every((d) => d.kind === 'missing_table')).toBe(true);
      const steps = await db.initialize();
      expect(steps.map((s) => [s.version, s.direction])).toEqual([
        [1, 'up'],
        [2, 'up'],
        [3, 'up'],
        [4, 'up'],
        [5, 'up'],
        [6, 'up'],
        [7, 'up'],
      ]);
      expect(await db.initialize()).toEqual([]);
      expect((await db.verify()).ok).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('fails with ConnectionError naming the path when the folder cannot be created', async () => {
    const blocker = dir.path('a-file');
    writeFileSync(blocker, 'not a folder');
    const path = join(blocker, 'db.duckdb');
    const error = await errorOf(ConnectionError, () => Database.open(path));
    expect(error.message).toContain(blocker);
  });

  it('refuses a file whose applied migrations were edited, and can open it again afterwards', async () => {
    const path = dir.path('tampered.duckdb');
    const db = await Database.open(path);
    await db.withConnection((c) =>
      c.run("UPDATE duckside_migrations SET checksum = 'edited' WHERE version = 2"),
    );
    await db.close();
    const error = await errorOf(MigrationError, () => Database.open(path));
    expect(error.message).toContain('version 2');
    const raw = await Database.open({ path, initialize: false });
    expect((await raw.verify()).differences).toEqual([]);
    await raw.close();
  });
});

describe('connections and transactions', () => {
  it('lends a connection and takes it back, also when fn throws', async () => {
    const db = await Database.open({ path: ':memory:', pool: { max: 3, min: 1 } });
    try {
      expect(db.poolStats()).toMatchObject({ max: 3, min: 1, borrowed: 0 });
      const value = await db.withConnection(async (c) => {
        expect(db.poolStats().borrowed).toBe(1);
        return (await c.runAndReadAll('SELECT 6 * 7 AS n')).getRowObjectsJS()[0]?.n;
      });
      expect(value).toBe(42);
      const failure = new Error('inside');
      await expect(db.withConnection(async () => Promise.reject(failure))).rejects.toBe(failure);
      expect(db.poolStats()).toMatchObject({ borrowed: 0, pending: 0 });
    } finally {
      await db.close();
    }
  });

  it('fails with PoolError after acquireTimeoutMs when every connection is busy, queries included', async () => {
    const db = await Database.open({ path: ':memory:', pool: { max: 2, min: 1, acquireTimeoutMs: 200 } });
    try {
      const gate = deferred();
      const acquired = [deferred(), deferred()];
      const holders = acquired.map((a) =>
        db.withConnection(() => {
          a.resolve();
          return gate.promise;
        }),
      );
      await Promise.all(acquired.map((a) => a.promise));
      expect(db.poolStats()).toMatchObject({ borrowed: 2, available: 0 });
      const error = await errorOf(PoolError, () => db.withConnection(async () => 1));
      expect(error.code).toBe('pool');
      await errorOf(PoolError, () => db.all(compiled('SELECT 1', [])));
      gate.resolve();
      await Promise.all(holders);
      expect(await db.all(compiled<{ n: number }>('SELECT 1 AS n', []))).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('replaces a connection left unusable by an internal error', async () => {
    const db = await Database.open({ path: ':memory:', pool: { max: 1, min: 1 } });
    try {
      const first = await db.withConnection(async (c) => c);
      const internal = new Error('INTERNAL Error: something broke inside');
      await expect(
        db.withConnection(async () => {
          throw internal;
        }),
      ).rejects.toBe(internal);
      const second = await db.withConnection(async (c) => c);
      expect(second).not.toBe(first);
      expect(await db.all(compiled<{ n: number }>('SELECT 2 AS n', []))).toEqual([{ n: 2 }]);
      // An ordinary error keeps the connection.
      await expect(db.withConnection(async () => Promise.reject(new Error('ordinary')))).rejects.toThrow(
        'ordinary',
      );
      expect(await db.withConnection(async (c) => c)).toBe(second);
    } finally {
      await db.close();
    }
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const db = await Database.open(':memory:');
    try {
      await db.transaction((c) =>
        c.run(
          "INSERT INTO trading_trades (ts, symbol, venue, side, quantity, price) VALUES ('2024-01-02', 'A', 'v', 'buy', 1, 2)",
        ),
      );
      const failure = new Error('abort');
      await expect(
        db.transaction(async (c) => {
          await c.run(
            "INSERT INTO trading_trades (ts, symbol, venue, side, quantity, price) VALUES ('2024-01-02', 'B', 'v', 'buy', 1, 2)",
          );
          expect(
            (await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM trading_trades')).getRowObjectsJS(),
          ).toEqual([{ n: 2 }]);
          throw failure;
        }),
      ).rejects.toBe(failure);
      const symbols = await db.all(compiled<{ symbol: string }>('SELECT symbol FROM trading_trades', []));
      expect(symbols).toEqual([{ symbol: 'A' }]);
      // The connection that rolled back is usable and not left inside a transaction.
      await db.transaction((c) => c.run('SELECT 1'));
    } finally {
      await db.close();
    }
  });
});

describe('flush, checkpoint and close', () => {
  it('flush waits for queued writes', async () => {
    const db = await Database.open(':memory:');
    try {
      const pending = db.insertMetrics([new MetricRecord('a', 1, T), new MetricRecord('b', 2, T)]);
      await db.flush();
      expect(db.writerStats().queuedJobs).toBe(0);
      expect(await countRows(db, 'trading_metrics')).toBe(2);
      await pending;
    } finally {
      await db.close();
    }
  });

  it('checkpoint moves the WAL into the file', async () => {
    const path = dir.path('checkpoint.duckdb');
    const db = await Database.open(path);
    try {
      await db.insertMetric(new MetricRecord('a', 1, T));
      expect(statSync(`${path}.wal`).size).toBeGreaterThan(0);
      await db.checkpoint();
      expect(existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0).toBe(0);
      await db.analyze();
      expect(db.fileSizeBytes()).toBe(statSync(path).size);
    } finally {
      await db.close();
    }
  });

  it('close drains, checkpoints (no .wal left) and refuses further work', async () => {
    const path = dir.path('close.duckdb');
    const db = await Database.open(path);
    await db.insertMetric(new MetricRecord('a', 1, T));
    const gate = deferred();
    const inFlight = db.withConnection(async (c) => {
      await gate.promise;
      await c.run(
        "INSERT INTO trading_trades (ts, symbol, venue, side, quantity, price) VALUES ('2024-01-02', 'A', 'v', 'buy', 1, 2)",
      );
    });
    const closing = db.close();
    expect(db.isOpen).toBe(false);
    expect(db.close()).toBe(closing);
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    gate.resolve();
    await inFlight;
    await closing;
    expect(existsSync(`${path}.wal`)).toBe(false);
    await errorOf(ClosedError, () => db.withConnection(async () => 1));
    expect((await errorOf(ClosedError, () => db.insertMetric(new MetricRecord('late', 1, T)))).code).toBe(
      'closed',
    );
    const again = await Database.open(path);
    expect(await countRows(again, 'trading_metrics')).toBe(1);
    expect(await countRows(again, 'trading_trades')).toBe(1);
    await again.close();
  });

  it('close commits the writes queued before it', async () => {
    const path = dir.path('close-flush.duckdb');
    const db = await Database.open(path);
    const writes = Array.from({ length: 20 }, (_, i) => db.insertMetric(new MetricRecord('queued', i, T)));
    await db.close();
    expect((await Promise.allSettled(writes)).filter((r) => r.status === 'rejected')).toEqual([]);
    const again = await Database.open(path);
    expect(await countRows(again, 'trading_metrics')).toBe(20);
    await again.close();
  });

  it('close waits for an open transaction instead of failing its checkpoint', async () => {
    const path = dir.path('close-in-transaction.duckdb');
    const db = await Database.open(path);
    const gate = deferred();
    const inserted = deferred();
    const transaction = db.transaction(async (c) => {
      await c.run(
        "INSERT INTO trading_trades (ts, symbol, venue, side, quantity, price) VALUES ('2024-01-02', 'A', 'v', 'buy', 1, 2)",
      );
      inserted.resolve();
      await gate.promise;
    });
    await inserted.promise;
    const closing = db.close();
    setTimeout(gate.resolve, 50);
    await transaction;
    await closing;
    expect(existsSync(`${path}.wal`)).toBe(false);
    const again = await Database.open(path);
    expect(await countRows(again, 'trading_trades')).toBe(1);
    await again.close();
  });

  it('closes one of two databases sharing a file while the other writes', async () => {
    const path = dir.path('close-shared.duckdb');
    const [a, b] = await Promise.all([Database.open(path), Database.open(path)]);
    const writes = Array.from({ length: 20 }, (_, i) => b.insertMetric(new MetricRecord('b', i, T)));
    await Promise.all([a.close(), b.close(), ...writes]);
    const again = await Database.open(path);
    expect(await countRows(again, 'trading_metrics')).toBe(20);
    await again.close();
    expect(existsSync(`${path}.wal`)).toBe(false);
  });

  it('closes with `await using`', async () => {
    const path = dir.path('dispose.duckdb');
    let outer: Database | undefined;
    {
      await using db = await Database.open(path);
      outer = db;
      await db.insertMetric(new MetricRecord('a', 1, T));
    }
    expect(outer?.isOpen).toBe(false);
    expect(existsSync(`${path}.wal`)).toBe(false);
    await errorOf(ClosedError, () => outer?.withConnection(async () => 1));
  });
});
