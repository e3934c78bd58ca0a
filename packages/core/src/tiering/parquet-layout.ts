import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Column } from '../catalog/column.ts';
import { ValidationError } from '../errors/errors.ts';

/*
 * The one Parquet layout of Duckside (the cold tier and `duckside-migrate export parquet`): Hive partitions by UTC
 * day, `<dir>/<table>/date=YYYY-MM-DD/part-N.parquet`, zstd, rows sorted by series and time.
 */

/** COPY options of every file of the layout (format v2: delta-encoded times and ids, about 5x smaller than v1 here). */
export const PARQUET_COPY_OPTIONS =
  'FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE 122880, PARQUET_VERSION v2';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks a day (`YYYY-MM-DD`, UTC).
 * @throws ValidationError for anything else.
 */
export function checkDay(day: string): string {
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new ValidationError('day', `must be a day as YYYY-MM-DD, got ${day}`);
  }
  return day;
}

/**
 * The file of part `part` of one day of a table, relative to the layout's folder.
 * @example partitionFile('trading_trades', '2024-01-31', 0) // 'trading_trades/date=2024-01-31/part-0.parquet'
 */
export function partitionFile(table: string, day: string, part: number): string {
  return join(table, `date=${checkDay(day)}`, `part-${part}.parquet`);
}

/**
 * The glob of every file of a table, as external readers use it with `hive_partitioning = true`.
 * @example tableGlob('/data/cold', 'trading_trades') // '/data/cold/trading_trades/*\/*.parquet'
 */
export function tableGlob(dir: string, table: string): string {
  return join(dir, table, '*', '*.parquet');
}

/**
 * SQL condition selecting the rows of one UTC day by `ts` (constant bounds, so the optimizer can drop a branch
 * whose day a query's time range excludes).
 * @example dayCondition('2024-01-31') // "ts >= TIMESTAMP '2024-01-31' AND ts < TIMESTAMP '2024-02-01'"
 */
export function dayCondition(day: string): string {
  const next = new Date(Date.parse(`${checkDay(day)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return `ts >= TIMESTAMP '${day}' AND ts < TIMESTAMP '${next}'`;
}

/** SQL text of a string literal. */
export function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A SELECT list reading `columns` from a file of the layout. The Parquet reader gives back the catalog's types
 * (checked by the tests), so no cast: a cast per column and per day branch doubled the planning time of a query.
 */
export function fileSelectList(columns: readonly Column[]): string {
  return columns.map((c) => c.name).join(', ');
}

/**
 * Writes the rows of `select` (already in file order) to `<path>.tmp` as Parquet and fsyncs it; returns the
 * temporary path. Publish it with {@link publishFile} once checked.
 * @example const tmp = await writeTempFile(c, 'SELECT * FROM main.trading_trades WHERE ...', path);
 */
export async function writeTempFile(
  connection: DuckDBConnection,
  select: string,
  path: string,
): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  await connection.run(`COPY (${select}) TO ${sqlLiteral(tmp)} (${PARQUET_COPY_OPTIONS})`);
  fsyncPath(tmp);
  return tmp;
}

/** Renames a checked temporary file to its final name and fsyncs the folder; returns the file's size. */
export function publishFile(tmp: string, path: string): number {
  renameSync(tmp, path);
  fsyncPath(dirname(path));
  fsyncPath(dirname(dirname(path)));
  return statSync(path).size;
}

/** Removes a file if it exists. */
export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** fsync of a file or folder. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
