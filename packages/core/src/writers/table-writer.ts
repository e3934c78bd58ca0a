import type { DuckDBConnection } from '@duckdb/node-api';
import { appendTable } from './chunk-appender.ts';
import type { ColumnarTable } from './columnar-table.ts';
import { STAGED_TABLES, stageName } from './staged-tables.ts';

/**
 * Writes one columnar table inside the caller's transaction: appended directly, or through its temp stage and
 * set-based move for the staged tables (series, candles, events).
 * @example await connection.run('BEGIN'); await writeTable(connection, table); await connection.run('COMMIT');
 */
export async function writeTable(connection: DuckDBConnection, table: ColumnarTable): Promise<void> {
  const staged = STAGED_TABLES[table.table];
  if (!staged) {
    await appendTable(connection, table);
    return;
  }
  const stage = stageName(table.table);
  await connection.run(
    `CREATE TEMP TABLE IF NOT EXISTS ${stage} AS SELECT ${staged.columns.join(', ')} FROM main.${table.table} LIMIT 0`,
  );
  await appendTable(connection, { ...table, table: stage, catalog: 'temp' });
  await connection.run(staged.move(stage));
  await connection.run(`DELETE FROM ${stage}`);
}
