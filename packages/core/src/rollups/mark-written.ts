import type { DuckDBConnection } from '@duckdb/node-api';
import { DirtySource, ROLLUP_DIRTY } from '../catalog/rollup-tables.ts';

/** The tables rollups are built from, with the dirty source and key columns of their rows. */
const SOURCES = [
  { table: 'metric_points', select: `${DirtySource.Metric}, series_id, NULL, NULL` },
  { table: 'histogram_points', select: `${DirtySource.Histogram}, series_id, NULL, NULL` },
  { table: 'trading_trades', select: `${DirtySource.Trade}, 0, symbol, venue` },
] as const;

/** The largest row id of each rollup source table, read inside a transaction before it writes. */
export type RowMarks = Readonly<Record<string, bigint | null>>;

/**
 * Reads where each rollup source table ends, inside the caller's transaction and before it writes; with
 * {@link markWrittenSince} afterwards, the rows that transaction added get their buckets marked dirty (rows a
 * transaction adds have row ids above every committed one). Null when the database has no rollup tables.
 * @example await c.run('BEGIN'); const marks = await rowMarks(c); await bulkInsert(c); await markWrittenSince(c, marks);
 */
export async function rowMarks(connection: DuckDBConnection): Promise<RowMarks | null> {
  const has = await connection.runAndReadAll(
    `SELECT count(*)::INTEGER FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = '${ROLLUP_DIRTY.name}'`,
  );
  if (Number(has.getRows()[0]?.[0]) === 0) return null;
  const marks: Record<string, bigint | null> = {};
  for (const s of SOURCES) {
    const r = await connection.runAndReadAll(`SELECT max(rowid) FROM ${s.table}`);
    const v = r.getRows()[0]?.[0];
    marks[s.table] = v === null || v === undefined ? null : BigInt(v as bigint);
  }
  return marks;
}

/**
 * Marks dirty the buckets (`widthSeconds` wide, default 1 minute) of every row the current transaction added to a
 * rollup source table since {@link rowMarks} (imports, bulk SQL), in the same transaction.
 * @example await markWrittenSince(connection, marks);
 */
export async function markWrittenSince(
  connection: DuckDBConnection,
  marks: RowMarks | null,
  widthSeconds = 60,
): Promise<void> {
  if (marks === null) return;
  for (const s of SOURCES) {
    const since = marks[s.table];
    const after = since === null || since === undefined ? '' : ` WHERE rowid > ${since}`;
    await connection.run(
      `INSERT INTO ${ROLLUP_DIRTY.name} SELECT DISTINCT ${s.select}, time_bucket(to_seconds(${widthSeconds}), ts), ${widthSeconds}
       FROM ${s.table}${after}`,
    );
  }
}
