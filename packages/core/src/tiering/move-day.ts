import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { columnList } from '../catalog/column.ts';
import { WriteError } from '../errors/errors.ts';
import { type ColdPartition, createTieredViews } from './cold-views.ts';
import { daySums, sameSums } from './day-sums.ts';
import {
  dayCondition,
  fileSelectList,
  partitionFile,
  publishFile,
  removeFile,
  sqlLiteral,
  writeTempFile,
} from './parquet-layout.ts';
import { COLD_PARTITIONS, type TierTable } from './tier-tables.ts';

/**
 * The points of a move at which a test may stop the process (kill -9): after the temporary file is written and
 * fsynced, after it is checked, after it is renamed, after the rows are deleted (not yet committed), and after the
 * commit.
 */
export type MoveStep = 'written' | 'checked' | 'published' | 'deleted' | 'committed';

/** What one move did. */
export interface MovedDay {
  table: string;
  day: string;
  part: number;
  rows: number;
  bytes: number;
}

/** Reads the live partitions (in the caller's transaction). */
export async function livePartitions(connection: DuckDBConnection): Promise<ColdPartition[]> {
  const reader = await connection.runAndReadAll(
    `SELECT table_name, day, part, path, rows, bytes FROM ${COLD_PARTITIONS.name} ORDER BY table_name, day, part`,
  );
  return reader.getRowObjectsJS().map((r) => ({
    table: String(r.table_name),
    day: String(r.day),
    part: Number(r.part),
    path: String(r.path),
    rows: Number(r.rows),
    bytes: Number(r.bytes),
  }));
}

/**
 * Moves the hot rows of one table and one UTC day into a new cold file, inside the caller's transaction `c`
 * (one snapshot: rows committed meanwhile by the writers stay hot for the next round):
 * 1. the day's rows, series inlined and sorted, are copied to `part-N.parquet.tmp` and fsynced;
 * 2. the file is read back and its count, time sum and column sums and hashes compared with the hot rows;
 * 3. it is renamed to `part-N.parquet` (folder fsynced);
 * 4. the file is recorded in `duckside_cold_partitions`, the rows deleted (their count must match) and the
 *    table's views recreated.
 * The caller commits: until then the file is an orphan that the next open removes, and the rows are still hot.
 * Returns undefined when the day has no hot rows.
 */
export async function moveDay(
  c: DuckDBConnection,
  dir: string,
  tier: TierTable,
  day: string,
  onStep: (step: MoveStep) => void = () => undefined,
): Promise<MovedDay | undefined> {
  const where = dayCondition(day);
  // Sums over the stored rows (no series join): a row the join would lose makes the file's count differ.
  const sums = await daySums(c, `main.${tier.storage}`, where, tier.sums);
  if (sums.rows === 0) return undefined;
  const next = await c.runAndReadAll(
    `SELECT coalesce(max(part) + 1, 0)::INTEGER AS part FROM ${COLD_PARTITIONS.name} WHERE table_name = ${sqlLiteral(tier.name)} AND day = ${sqlLiteral(day)}`,
  );
  const part = Number(next.getRowObjectsJS()[0]?.part ?? 0);
  const file = partitionFile(tier.name, day, part);
  const path = join(dir, file);
  const select = `SELECT ${columnList(tier.fileColumns)} FROM ${tier.source} WHERE ${where} ORDER BY ${tier.order}`;
  const tmp = await writeTempFile(c, select, path);
  let published = false;
  try {
    onStep('written');
    const written = await daySums(
      c,
      `(SELECT ${fileSelectList(tier.fileColumns)} FROM read_parquet(${sqlLiteral(tmp)}, hive_partitioning = false))`,
      'true',
      tier.sums,
    );
    if (!sameSums(sums, written)) {
      throw new WriteError(
        `cold tier: ${file} does not read back as the hot rows of ${day}; nothing was moved`,
      );
    }
    onStep('checked');
    const bytes = publishFile(tmp, path);
    published = true;
    onStep('published');
    await c.run(
      `INSERT INTO ${COLD_PARTITIONS.name} VALUES (${sqlLiteral(tier.name)}, ${sqlLiteral(day)}, ${part}, ${sqlLiteral(file)}, ${sums.rows}, ${bytes}, now()::TIMESTAMP)`,
    );
    const deleted = await c.runAndReadAll(`DELETE FROM main.${tier.storage} WHERE ${where}`);
    const count = Number(deleted.getRowsJS()[0]?.[0] ?? 0);
    if (count !== sums.rows) {
      throw new WriteError(
        `cold tier: ${tier.storage} of ${day} changed during the move (${count} rows deleted, ${sums.rows} written)`,
      );
    }
    await createTieredViews(c, dir, await livePartitions(c), [tier]);
    onStep('deleted');
    return { table: tier.name, day, part, rows: sums.rows, bytes };
  } catch (error) {
    removeFile(tmp);
    if (published) removeFile(path);
    throw error;
  }
}
