import type { DuckDBConnection } from '@duckdb/node-api';
import { columnList, IMPORT_WATERMARKS } from '@duckside/core/catalog';

/** Name of core's watermark table (built-in migration 3). */
export const WATERMARKS_TABLE = IMPORT_WATERMARKS.name;

/** A stored import watermark. */
export interface Watermark {
  sourceId: string;
  targetTable: string;
  watermark: string;
  rowsImported: number;
}

/**
 * Reads the watermark of a source, or null when it was never imported.
 * @example const wm = await readWatermark(conn, 'postgres://db/metrics');
 */
export async function readWatermark(
  connection: DuckDBConnection,
  sourceId: string,
): Promise<Watermark | null> {
  const reader = await connection.runAndReadAll(
    `SELECT target_table, watermark, rows_imported FROM ${WATERMARKS_TABLE} WHERE source_id = ?`,
    [sourceId],
  );
  const row = reader.getRowObjectsJS()[0];
  if (!row) return null;
  return {
    sourceId,
    targetTable: String(row.target_table),
    watermark: String(row.watermark),
    rowsImported: Number(row.rows_imported),
  };
}

/**
 * Writes (inserts or replaces) a source's watermark; call it inside the transaction that wrote the rows it covers.
 * @example await writeWatermark(conn, { sourceId, targetTable: 'trading_metrics', watermark, rowsImported });
 */
export async function writeWatermark(connection: DuckDBConnection, w: Watermark): Promise<void> {
  await connection.run(
    `INSERT OR REPLACE INTO ${WATERMARKS_TABLE} (${columnList(IMPORT_WATERMARKS.columns)})
     VALUES (?, ?, ?, ?, now()::TIMESTAMP)`,
    [w.sourceId, w.targetTable, w.watermark, w.rowsImported],
  );
}
