import type { TableStats } from '../models/result-types.ts';
import { sqlTimestamp, type TimestampInput } from '../time/index.ts';
import { type CompiledQuery, compiled, quoteIdent } from './compiled-query.ts';
import { checkTable, DATA_TABLES, type DataTable, STORAGE_TABLES } from './tables.ts';

/**
 * Row counts, time span and approximate on-disk bytes (persisted blocks x 256 KiB) of each data table (the hot
 * tier: `main`, whatever schema queries read first).
 * @example await db.all(tableStatistics())
 */
export function tableStatistics(tables: readonly DataTable[] = DATA_TABLES): CompiledQuery<TableStats> {
  const parts = tables.map((t) => {
    const stored = STORAGE_TABLES[checkTable(t)];
    return `SELECT '${t}' AS "table", count(*) AS rows, min(ts) AS oldest, max(ts) AS newest,
  (SELECT count(DISTINCT block_id) FROM pragma_storage_info('main.${stored}') WHERE persistent) * 262144 AS "estimatedBytes" FROM main.${quoteIdent(stored)}`;
  });
  return compiled(parts.join('\nUNION ALL\n'), []);
}

/**
 * Deletes rows of one table older than a cutoff (retention; hot rows in `main`, cold partitions go whole). The result row holds the deleted count.
 * Metric series stay in `metric_series` (a few rows per series; writers rely on stored series not vanishing).
 * @example await db.all(deleteOlderThan('trading_metrics', Date.now() - 7 * 86_400_000))
 */
export function deleteOlderThan(table: string, cutoff: TimestampInput): CompiledQuery<{ Count: number }> {
  return compiled(
    `DELETE FROM main.${quoteIdent(STORAGE_TABLES[checkTable(table)])} WHERE ts < ?::TIMESTAMP`,
    [sqlTimestamp(cutoff, 'cutoff')],
  );
}
