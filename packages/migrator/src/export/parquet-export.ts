import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Database } from '@duckside/core';
import { UsageError } from '../errors.ts';
import { sqlIdent, sqlString } from '../sql-text.ts';

/** What to export. */
export interface ParquetExportOptions {
  /** A table of the database with a `ts` column. */
  table: string;
  /** Output folder (created; must be empty unless `overwrite`). */
  out: string;
  /** Replace what the folder holds. */
  overwrite?: boolean;
}

/** What an export wrote. */
export interface ParquetExportReport {
  table: string;
  out: string;
  rows: number;
  /** Days written, one folder `day=YYYY-MM-DD` each. */
  days: string[];
}

/**
 * Writes a table to Parquet partitioned by UTC day (`OUT/day=2024-01-31/data_0.parquet`, zstd), which
 * `import parquet OUT --into TABLE` reads back.
 * @example await exportParquet(db, { table: 'trading_trades', out: './export/trades' });
 */
export async function exportParquet(
  db: Database,
  options: ParquetExportOptions,
): Promise<ParquetExportReport> {
  const out = resolve(options.out);
  if (!options.overwrite && (await readdir(out).catch(() => [])).length > 0) {
    throw new UsageError(`${out} is not empty; use --overwrite to replace its content`);
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
    const table = sqlIdent(options.table);
    await c.run(
      `COPY (SELECT *, strftime(ts, '%Y-%m-%d') AS day FROM ${table} ORDER BY ts) TO ${sqlString(out)}
       (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (day)${options.overwrite ? ', OVERWRITE' : ''})`,
    );
    const stats = await c.runAndReadAll(
      `SELECT strftime(ts, '%Y-%m-%d') AS day, count(*) AS n FROM ${table} GROUP BY 1 ORDER BY 1`,
    );
    const days = stats.getRowObjectsJS();
    return {
      table: options.table,
      out,
      rows: days.reduce((n, d) => n + Number(d.n), 0),
      days: days.map((d) => String(d.day)),
    };
  });
}
