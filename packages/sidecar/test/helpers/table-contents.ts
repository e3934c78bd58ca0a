import { compiled, type Database } from '@duckside/core';

/**
 * Every row of every user table of the database (the migration tracking table aside: it holds apply times),
 * each table sorted by all its columns, keyed by table name: two databases that stored the same data compare
 * equal column by column.
 * @example expect(await tableContents(a.db)).toEqual(await tableContents(b.db));
 */
export async function tableContents(db: Database): Promise<Record<string, Record<string, unknown>[]>> {
  const tables = await db.all(
    compiled<{ name: string }>(
      `SELECT table_name AS name FROM duckdb_tables()
        WHERE NOT internal AND table_name NOT LIKE 'duckside_migrations%' ORDER BY 1`,
      [],
    ),
  );
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const { name } of tables) {
    out[name] = await db.all(compiled<Record<string, unknown>>(`SELECT * FROM "${name}" ORDER BY ALL`, []));
  }
  return out;
}
