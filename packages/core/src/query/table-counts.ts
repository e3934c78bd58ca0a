import { type CompiledQuery, compiled, quoteIdent } from './compiled-query.ts';
import { checkTable, DATA_TABLES, type DataTable } from './tables.ts';

/** Rows of one data table and the time of its newest row. */
export interface TableCount {
  table: DataTable;
  rows: number;
  newest: Date | null;
}

/**
 * Row count and newest row time of each data table (a cheap header figure: no storage scan, unlike
 * `tableStatistics`).
 * @example await db.all(tableCounts()) // [{ table: 'trading_metrics', rows: 120, newest: Date }, ...]
 */
export function tableCounts(tables: readonly DataTable[] = DATA_TABLES): CompiledQuery<TableCount> {
  const parts = tables.map(
    (t) => `SELECT '${checkTable(t)}' AS "table", count(*) AS rows, max(ts) AS newest FROM ${quoteIdent(t)}`,
  );
  return compiled(parts.join('\nUNION ALL\n'), []);
}
