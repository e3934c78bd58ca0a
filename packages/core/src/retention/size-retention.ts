import type { DuckDBConnection } from '@duckdb/node-api';
import { DATA_TABLES, type DataTable, STORAGE_TABLES } from '../query/tables.ts';
import { type StorageSize, storageSize } from './storage-size.ts';

/** Rows of one DuckDB row group: a delete frees storage only where whole row groups empty out. */
const ROW_GROUP_ROWS = 122_880;

/** How far {@link trimToSize} goes. */
export interface SizeRetentionOptions {
  /** Act when the file and its WAL (`StorageSize.fileBytes`) take more than this. */
  maxBytes: number;
  /** Delete down to this many used bytes (default 90% of `maxBytes`), so that a pass is not needed at every check. */
  targetBytes?: number;
  /**
   * Most rows one batch deletes (default 4 row groups, 491,520; at least one row group, 122,880). DuckDB logs 8 bytes
   * per deleted row in the WAL until the batch's checkpoint, so a batch adds up to 4 MiB to the WAL for a moment.
   */
  batchRows?: number;
  /** Most batches per pass (default 64); the next pass goes on. */
  maxBatches?: number;
}

/**
 * Why a pass stopped: the file was under the limit; it was over but its used bytes were not, so a checkpoint
 * moved the WAL into the free blocks; rows were deleted down to the target; no data was left; or the batch bound
 * was hit (the next pass goes on).
 */
export type SizeRetentionOutcome =
  | 'under-limit'
  | 'checkpointed'
  | 'target-reached'
  | 'nothing-to-delete'
  | 'max-batches';

/** What a {@link trimToSize} pass did. */
export interface SizeRetentionReport {
  before: StorageSize;
  after: StorageSize;
  /** Rows deleted per data table (only tables that lost rows). */
  deleted: Partial<Record<DataTable, number>>;
  batches: number;
  outcome: SizeRetentionOutcome;
}

/** Runs one batch alone (no write in flight) on a connection: the database's writer provides it. */
export type ExclusiveRunner = (fn: (connection: DuckDBConnection) => Promise<void>) => Promise<void>;

/**
 * Keeps a database under a size. When the file and its WAL take more than `maxBytes`: if the used bytes (blocks in
 * use plus the WAL) are above `targetBytes`, deletes the oldest rows (by `ts`) of the data table whose oldest row
 * is the oldest of all, one bounded batch at a time, each followed by a `CHECKPOINT` (DuckDB frees the blocks of
 * deleted rows only then, for later writes to reuse: the file stops growing; it shrinks only when the free blocks
 * are at its end), until `targetBytes`, no data is left, or `maxBatches`; otherwise (the file is large because of
 * free blocks) it only checkpoints, which moves the WAL into those blocks. Metric series stay (see
 * `deleteOlderThan`).
 * @example const report = await trimToSize((fn) => writer.exclusive(fn), db.path, { maxBytes: 1e9 });
 */
export async function trimToSize(
  exclusive: ExclusiveRunner,
  path: string,
  options: SizeRetentionOptions,
): Promise<SizeRetentionReport> {
  const target = options.targetBytes ?? Math.floor(options.maxBytes * 0.9);
  const batchRows = Math.max(ROW_GROUP_ROWS, options.batchRows ?? 4 * ROW_GROUP_ROWS);
  const maxBatches = options.maxBatches ?? 64;
  const deleted: Partial<Record<DataTable, number>> = {};
  let before: StorageSize | undefined;
  let size: StorageSize | undefined;
  let outcome: SizeRetentionOutcome | undefined;
  let batches = 0;
  while (outcome === undefined) {
    await exclusive(async (connection) => {
      size = await storageSize(connection, path);
      before ??= size;
      if (batches === 0 && size.fileBytes <= options.maxBytes) {
        outcome = 'under-limit';
        return;
      }
      if (size.usedBytes <= target) {
        outcome = batches === 0 ? 'checkpointed' : 'target-reached';
        if (batches === 0 && size.walBytes > 0) {
          await connection.run('CHECKPOINT');
          size = await storageSize(connection, path);
        }
        return;
      }
      if (batches >= maxBatches) {
        outcome = 'max-batches';
        return;
      }
      const tables = await tableAges(connection);
      const oldest = tables[0];
      if (!oldest) {
        outcome = 'nothing-to-delete';
        return;
      }
      const totalRows = tables.reduce((sum, t) => sum + t.rows, 0);
      const rowBytes = size.usedBytes / totalRows;
      const rows = Math.min(
        batchRows,
        Math.max(ROW_GROUP_ROWS, Math.ceil((size.usedBytes - target) / rowBytes)),
      );
      const n = await deleteOldest(connection, oldest.table, rows);
      deleted[oldest.table] = (deleted[oldest.table] ?? 0) + n;
      batches++;
      await connection.run('CHECKPOINT');
    });
  }
  return { before: before as StorageSize, after: size as StorageSize, deleted, batches, outcome };
}

/** The non-empty data tables, oldest row first, with their row counts. */
async function tableAges(connection: DuckDBConnection): Promise<{ table: DataTable; rows: number }[]> {
  const parts = DATA_TABLES.map(
    (t) => `SELECT '${t}' AS t, min(ts) AS oldest, count(*) AS n FROM ${STORAGE_TABLES[t]}`,
  );
  const reader = await connection.runAndReadAll(
    `SELECT t, n FROM (${parts.join(' UNION ALL ')}) WHERE n > 0 ORDER BY oldest, t`,
  );
  return reader.getRows().map(([t, n]) => ({ table: t as DataTable, rows: Number(n) }));
}

/** Deletes the `rows` oldest rows of a table (and rows sharing the newest of their timestamps); returns how many. */
async function deleteOldest(connection: DuckDBConnection, table: DataTable, rows: number): Promise<number> {
  const stored = STORAGE_TABLES[table];
  const reader = await connection.runAndReadAll(
    `DELETE FROM ${stored} WHERE ts <= (SELECT max(ts) FROM (SELECT ts FROM ${stored} ORDER BY ts LIMIT $1))`,
    [rows],
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}
