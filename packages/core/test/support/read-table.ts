import type { Database } from '../../src/index.ts';

/**
 * Reads rows with the driver's own JS conversion (BIGINT and UBIGINT as bigint, lists as arrays), bypassing
 * the executor's number conversion, for exact round-trip checks.
 * @example await readTable(db, 'SELECT value_int FROM trading_metrics WHERE name = ?', ['x'])
 */
export async function readTable(
  db: Database,
  sql: string,
  params: (string | number | bigint)[] = [],
): Promise<Record<string, unknown>[]> {
  return db.withConnection(async (c) => (await c.runAndReadAll(sql, params)).getRowObjectsJS());
}
