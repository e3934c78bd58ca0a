import { setTimeout as delay } from 'node:timers/promises';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { createPool, type Pool } from 'generic-pool';
import { ConnectionError, PoolError } from '../errors/errors.ts';

/** Pause before a failed connection attempt is reported to the pool (and so retried). */
const CREATE_RETRY_DELAY_MS = 50;

/** Pool sizing and timeouts. */
export interface PoolOptions {
  /** Most connections at once (default 10). */
  max?: number;
  /** Connections kept open (default 2). */
  min?: number;
  /** How long `acquire` waits before failing (default 10 s). */
  acquireTimeoutMs?: number;
}

/** A snapshot of the pool. */
export interface PoolStats {
  size: number;
  available: number;
  borrowed: number;
  pending: number;
  max: number;
  min: number;
}

/** A pooled connection; `broken` connections are destroyed instead of reused. */
export interface PooledConnection {
  readonly connection: DuckDBConnection;
  broken: boolean;
}

/**
 * A generic-pool of connections to one DuckDB instance, with validation on borrow and an acquire timeout.
 * A connection factory that keeps failing surfaces as a `ConnectionError`, never a hang.
 */
export class ConnectionPool {
  private readonly pool: Pool<PooledConnection>;
  private lastCreateError: unknown;
  private readonly acquireTimeoutMs: number;

  constructor(instance: DuckDBInstance, options: PoolOptions = {}, connect = () => instance.connect()) {
    const max = options.max ?? 10;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 10_000;
    this.pool = createPool<PooledConnection>(
      {
        create: async () => {
          try {
            const connection = await connect();
            this.lastCreateError = undefined;
            return { connection, broken: false };
          } catch (error) {
            this.lastCreateError = error;
            // generic-pool retries a failed create at once, in microtasks: without a pause the retries starve
            // the event loop, so the acquire timeout never fires and the process hangs.
            await delay(CREATE_RETRY_DELAY_MS);
            throw error;
          }
        },
        destroy: async (pooled) => {
          pooled.connection.closeSync();
        },
        validate: async (pooled) => !pooled.broken,
      },
      {
        max,
        min: Math.min(options.min ?? 2, max),
        acquireTimeoutMillis: this.acquireTimeoutMs,
        testOnBorrow: true,
        autostart: true,
      },
    );
    this.pool.on('factoryCreateError', (error) => {
      this.lastCreateError = error;
    });
  }

  /** Borrows a connection, failing after the acquire timeout. */
  async acquire(): Promise<PooledConnection> {
    try {
      return await this.pool.acquire();
    } catch (error) {
      if (this.lastCreateError !== undefined) {
        throw new ConnectionError('cannot open a database connection', { cause: this.lastCreateError });
      }
      throw new PoolError(
        `no database connection became free within ${this.acquireTimeoutMs} ms (pool max ${this.pool.max})`,
        { cause: error },
      );
    }
  }

  /** Returns a connection; broken ones are destroyed. */
  async release(pooled: PooledConnection): Promise<void> {
    if (pooled.broken) await this.pool.destroy(pooled);
    else await this.pool.release(pooled);
  }

  /** Current pool figures. */
  stats(): PoolStats {
    return {
      size: this.pool.size,
      available: this.pool.available,
      borrowed: this.pool.borrowed,
      pending: this.pool.pending,
      max: this.pool.max,
      min: this.pool.min,
    };
  }

  /** Waits for borrowed connections to come back, then closes them all. */
  async drain(): Promise<void> {
    await this.pool.drain();
    await this.pool.clear();
  }
}
