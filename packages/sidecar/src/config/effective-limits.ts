import type { SidecarConfig } from './config-schema.ts';

/** Limits derived from the config and the libuv thread pool size. */
export interface EffectiveLimits {
  /** Queries running at once. */
  maxConcurrentQueries: number;
  /** Database connections in the pool. */
  poolSize: number;
}

/**
 * Resolves the defaults that depend on the thread pool: queries may use at most half of `UV_THREADPOOL_SIZE`
 * (at most 8), so that ingest, `/readyz`, fs and zlib keep free threads; the connection pool holds one
 * connection per query slot plus four.
 * @example effectiveLimits(config, { UV_THREADPOOL_SIZE: '16' }) // { maxConcurrentQueries: 8, poolSize: 12 }
 */
export function effectiveLimits(
  config: SidecarConfig,
  env: NodeJS.ProcessEnv = process.env,
): EffectiveLimits {
  const threads = Number(env.UV_THREADPOOL_SIZE) > 0 ? Number(env.UV_THREADPOOL_SIZE) : 4;
  const maxConcurrentQueries =
    config.query.maxConcurrent ?? Math.max(1, Math.min(8, Math.floor(threads / 2)));
  return { maxConcurrentQueries, poolSize: config.duckdb.poolSize ?? maxConcurrentQueries + 4 };
}
