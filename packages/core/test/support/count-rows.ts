import type { Database, DataTable } from '../../src/index.ts';

/**
 * Counts the rows of a table on a pooled connection.
 * @example expect(await countRows(db, 'trading_metrics')).toBe(10);
 */
export async function countRows(db: Database, table: DataTable): Promise<number> {
  return db.withConnection(async (c) => {
    const reader = await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${table}`);
    return reader.getRowObjectsJS()[0]?.n as number;
  });
}
