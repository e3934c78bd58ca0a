import { Database } from '@duckside/core';

/**
 * A fingerprint of a database file's schema and content: every table and view with its columns and types, and
 * per table the row count and the sum of its rows' hashes. Two equal fingerprints mean nothing was added,
 * removed or changed. The file must not be open in another process.
 * @example expect(await fingerprint(path)).toEqual(before);
 */
export async function fingerprint(path: string): Promise<Record<string, string>> {
  const db = await Database.open({ path, initialize: false });
  try {
    return await db.withConnection(async (c) => {
      const out: Record<string, string> = {};
      const columns = await c.runAndReadAll(
        `SELECT table_schema || '.' || table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)
         FROM information_schema.columns GROUP BY ALL ORDER BY ALL`,
      );
      for (const [table, cols] of columns.getRows()) out[`schema ${String(table)}`] = String(cols);
      const tables = await c.runAndReadAll(
        `SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY ALL`,
      );
      for (const [schema, table] of tables.getRows()) {
        const name = `"${String(schema)}"."${String(table)}"`;
        const [row] = (await c.runAndReadAll(`SELECT count(*), sum(hash(t)) FROM ${name} t`)).getRows();
        out[`rows ${String(schema)}.${String(table)}`] = `${row?.[0]} / ${row?.[1]}`;
      }
      return out;
    });
  } finally {
    await db.close();
  }
}
