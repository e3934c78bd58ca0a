import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.ts';
import { ConnectionError, PoolError } from '../errors/errors.ts';
import { ConnectionPool } from './connection-pool.ts';

let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(() => instance.closeSync());

describe('ConnectionPool', () => {
  it('reports size, available, borrowed and pending', async () => {
    const pool = new ConnectionPool(instance, { max: 2, min: 1, acquireTimeoutMs: 5000 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    const third = pool.acquire();
    expect(pool.stats()).toEqual({ size: 2, available: 0, borrowed: 2, pending: 1, max: 2, min: 1 });
    await pool.release(a);
    const c = await third;
    expect(c.connection).toBe(a.connection);
    await pool.release(b);
    await pool.release(c);
    expect(pool.stats()).toMatchObject({ size: 2, available: 2, borrowed: 0, pending: 0 });
    await pool.drain();
    expect(pool.stats().size).toBe(0);
  });

  it('hands out working connections', async () => {
    const pool = new ConnectionPool(instance, { max: 1, min: 0 });
    const pooled = await pool.acquire();
    const reader = await pooled.connection.runAndReadAll('SELECT 40 + 2 AS n');
    expect(reader.getRowObjectsJS()).toEqual([{ n: 42 }]);
    await pool.release(pooled);
    await pool.drain();
  });

  it('fails with PoolError after acquireTimeoutMs when every connection is borrowed', async () => {
    const pool = new ConnectionPool(instance, { max: 1, min: 0, acquireTimeoutMs: 200 });
    const held = await pool.acquire();
    const started = performance.now();
    const error = await errorOf(PoolError, () => pool.acquire());
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(error.code).toBe('pool');
    expect(error.message).toContain('200 ms');
    await pool.release(held);
    await pool.drain();
  });

  it('surfaces a failing connection factory as ConnectionError, not a hang', async () => {
    const refused = new Error('connect refused');
    let attempts = 0;
    // Without a pause between retries the pool spins through attempts in microtasks and the acquire timeout
    // never fires; the factory gives in after 1000 attempts so that such a regression fails instead of hanging.
    const pool = new ConnectionPool(instance, { max: 2, min: 1, acquireTimeoutMs: 300 }, async () => {
      attempts++;
      if (attempts > 1000) return instance.connect();
      throw refused;
    });
    const error = await errorOf(ConnectionError, () => pool.acquire());
    expect(error.code).toBe('connection');
    expect(error.cause).toBe(refused);
    expect(attempts).toBeGreaterThan(0);
    await pool.drain();
  });

  it('recovers when the factory starts working again', async () => {
    let attempts = 0;
    const pool = new ConnectionPool(instance, { max: 1, min: 0, acquireTimeoutMs: 5000 }, async () => {
      attempts++;
      if (attempts <= 2) throw new Error('transient');
      return instance.connect();
    });
    const pooled = await pool.acquire();
    expect(attempts).toBe(3);
    await pool.release(pooled);
    await pool.drain();
  });

  it('destroys a broken connection instead of reusing it', async () => {
    const pool = new ConnectionPool(instance, { max: 1, min: 0 });
    const first = await pool.acquire();
    first.broken = true;
    await pool.release(first);
    expect(pool.stats().size).toBe(0);
    const second = await pool.acquire();
    expect(second.connection).not.toBe(first.connection);
    const reader = await second.connection.runAndReadAll('SELECT 1 AS one');
    expect(reader.getRowObjectsJS()).toEqual([{ one: 1 }]);
    await pool.release(second);
    await pool.drain();
  });
});
