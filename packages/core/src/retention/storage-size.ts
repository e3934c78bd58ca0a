import { statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';

/** How much of a database file holds data, from DuckDB's block counts and the WAL's size on disk. */
export interface StorageSize {
  /** The file plus its WAL, as the file system reports them (DuckDB files do not shrink). */
  fileBytes: number;
  /** The WAL's bytes (rows committed since the last checkpoint). */
  walBytes: number;
  /** Blocks in use times the block size, plus the WAL: what the data needs once checkpointed (about). */
  usedBytes: number;
  /** Blocks of the file that are free for reuse (freed by deletes at a checkpoint). */
  freeBytes: number;
  blockSize: number;
}

/** The sizes of `:memory:` (all 0). */
const IN_MEMORY: StorageSize = Object.freeze({
  fileBytes: 0,
  walBytes: 0,
  usedBytes: 0,
  freeBytes: 0,
  blockSize: 0,
});

/**
 * The storage figures of the database at `path` (`pragma_database_size()` and the file sizes).
 * @example (await storageSize(connection, db.path)).usedBytes
 */
export async function storageSize(connection: DuckDBConnection, path: string): Promise<StorageSize> {
  if (path === ':memory:') return IN_MEMORY;
  const reader = await connection.runAndReadAll(
    'SELECT block_size, used_blocks, free_blocks FROM pragma_database_size() WHERE database_name = current_database()',
  );
  const [blockSize, used, free] = (reader.getRows()[0] ?? [0n, 0n, 0n]).map(Number) as [
    number,
    number,
    number,
  ];
  const walBytes = fileBytes(`${path}.wal`);
  return {
    fileBytes: fileBytes(path) + walBytes,
    walBytes,
    usedBytes: used * blockSize + walBytes,
    freeBytes: free * blockSize,
    blockSize,
  };
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
