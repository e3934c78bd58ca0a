import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type Database,
  dayCondition,
  partitionFile,
  publishFile,
  TIER_TABLES,
  writeTempFile,
} from '@duckside/core';
import { UsageError } from '../errors/errors.ts';
import { sqlIdent } from '../sql/sql-text.ts';

/** What to export. */
export interface ParquetExportOptions {
  /** A table of the database with a `ts` column. */
  table: string;
  /** Output folder: the files go to `<out>/<table>/` (which must be empty unless `overwrite`). */
  out: string;
  /** Replace what `<out>/<table>/` holds. */
  overwrite?: boolean;
}

/** What an export wrote. */
export interface ParquetExportReport {
  table: string;
  out: string;
  rows: number;
  /** Days written, one folder `date=YYYY-MM-DD` each. */
  days: string[];
}

/**
 * Writes a table in Duckside's one Parquet layout, the cold tier's: `OUT/<table>/date=2024-01-31/part-0.parquet`
 * (Hive partitions by UTC day, zstd, rows sorted by series and time, metric series columns inlined), each file
 * written to a temporary name, fsynced and renamed by core's writer. `import parquet OUT --into TABLE` reads it
 * back, as do DuckDB's `read_parquet('OUT/<table>/*\/*.parquet', hive_partitioning = true)` and other readers.
 * @example await exportParquet(db, { table: 'trading_trades', out: './export' });
 */
export async function exportParquet(
  db: Database,
  options: ParquetExportOptions,
): Promise<ParquetExportReport> {
  const out = resolve(options.out);
  const folder = join(out, options.table);
  if ((await readdir(folder).catch(() => [])).length > 0) {
    if (!options.overwrite)
      throw new UsageError(`${folder} is not empty; use --overwrite to replace its content`);
    await rm(folder, { recursive: true, force: true });
  }
  return db.withConnection(async (c) => {
    const found = await c.runAndReadAll(
      `SELECT count(*) FILTER (WHERE column_name = 'ts') AS has_ts, count(*) AS columns FROM duckdb_columns()
       WHERE schema_name = 'main' AND table_name = ?`,
      [options.table],
    );
    const row = found.getRowObjectsJS()[0];
    if (!row || Number(row.columns) === 0) throw new UsageError(`there is no table ${options.table}`);
    if (Number(row.has_ts) === 0)
      throw new UsageError(`table ${options.table} has no ts column to partition by`);
    const tier = TIER_TABLES.find((t) => t.name === options.table);
    const from = tier?.source ?? `main.${sqlIdent(options.table)}`;
    const columns = tier ? tier.fileColumns.map((col) => col.name).join(', ') : '*';
    const order = tier?.order ?? 'ts';
    const stats = await c.runAndReadAll(
      `SELECT strftime(ts, '%Y-%m-%d') AS day, count(*) AS n FROM ${from} GROUP BY 1 ORDER BY 1`,
    );
    const days = stats.getRowObjectsJS();
    for (const { day } of days) {
      const path = join(out, partitionFile(options.table, String(day), 0));
      const where = dayCondition(String(day));
      const tmp = await writeTempFile(
        c,
        `SELECT ${columns} FROM ${from} WHERE ${where} ORDER BY ${order}`,
        path,
      );
      publishFile(tmp, path);
    }
    return {
      table: options.table,
      out,
      rows: days.reduce((n, d) => n + Number(d.n), 0),
      days: days.map((d) => String(d.day)),
    };
  });
}
