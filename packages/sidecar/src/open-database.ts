import { existsSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConnectionError, Database, type DatabaseOptions } from '@duckside/core';
import type { SidecarConfig } from './config/config-schema.ts';
import { effectiveLimits } from './config/effective-limits.ts';
import { coldDirectory } from './config/plugin-options.ts';
import { parseBytes } from './config/units.ts';
import type { Logger, SelfMetrics } from './plugin-api/plugin.ts';

/**
 * Opens the sidecar's database: external access off (the query path cannot read files, attach databases or
 * copy; with a cold tier, DuckDB may use its folder only), pool sized from the query concurrency, write queue bound from config.
 *
 * When DuckDB cannot replay the `.wal` at start (corruption, or a replay conflict such as DDL already applied),
 * the policy `duckdb.walRecovery` decides: `fail` rethrows; `move-aside` (default) renames the WAL to
 * `<db>.wal.corrupt-<time>` (kept for manual recovery), logs an error saying its transactions are not in the
 * database, counts it in `duckside_wal_recoveries_total`, opens without it and records a critical system event.
 * @throws DatabaseLockedError when another process holds the file; ConnectionError for other failures.
 * @example const db = await openDatabase(config, logger, metrics);
 */
export async function openDatabase(
  config: SidecarConfig,
  logger: Logger,
  metrics: SelfMetrics,
): Promise<Database> {
  const { poolSize } = effectiveLimits(config);
  const cold = coldDirectory(config);
  const options: DatabaseOptions = {
    path: config.database,
    externalAccess: false,
    ...(cold === undefined ? {} : { allowedDirectories: [`${cold}/`] }),
    pool: { max: poolSize, min: Math.min(2, poolSize) },
    writer: { maxQueueBytes: config.duckdb.maxQueueBytes },
    checkpointThreshold: checkpointThreshold(config),
    maxSeriesPerMetric: config.ingest.maxSeriesPerMetric,
    rollups: {
      ...(config.rollups.levels === undefined ? {} : { levels: config.rollups.levels }),
      maintainEveryMs: config.rollups.maintainEvery,
    },
    ...(config.duckdb.memoryLimit ? { memoryLimit: config.duckdb.memoryLimit } : {}),
    ...(config.duckdb.threads ? { threads: config.duckdb.threads } : {}),
  };
  const recoveries = metrics.counter(
    'duckside_wal_recoveries_total',
    'Write-ahead logs that could not be replayed at start and were moved aside',
  );
  recoveries.inc(0);
  try {
    return await Database.open(options);
  } catch (error) {
    const wal = `${resolve(config.database)}.wal`;
    if (!isWalReplayFailure(error) || config.duckdb.walRecovery === 'fail' || !existsSync(wal)) throw error;
    const aside = `${wal}.corrupt-${new Date().toISOString().replaceAll(':', '-')}`;
    renameSync(wal, aside);
    recoveries.inc();
    logger.error(
      'the write-ahead log could not be replayed: it was moved aside and the database opened without it; ' +
        'transactions committed since the last checkpoint are NOT in the database (see docs/operations.md)',
      { wal: aside, error },
    );
    const db = await Database.open(options);
    await db.insertEvents([
      {
        severity: 'critical',
        source: 'duckside',
        message: `the write-ahead log could not be replayed at start and was moved to ${aside}`,
        attributes: { wal: aside, reason: (error as Error).message.slice(0, 500) },
      },
    ]);
    return db;
  }
}

function isWalReplayFailure(error: unknown): boolean {
  return error instanceof ConnectionError && /replaying WAL/i.test(error.message);
}

/**
 * The WAL size that triggers a checkpoint: the configured one, but with `--max-db-size` at most 1/16 of the cap, so
 * that the WAL between two size checks cannot carry the file far past the cap.
 */
function checkpointThreshold(config: SidecarConfig): string {
  const configured = config.duckdb.checkpointThreshold;
  const cap = config.retention.maxDbSize;
  if (cap === undefined) return configured;
  const bound = Math.max(256 * 1024, Math.floor(cap / 16));
  return (parseBytes(configured) ?? Number.POSITIVE_INFINITY) <= bound
    ? configured
    : `${Math.floor(bound / 1024)}KiB`;
}
