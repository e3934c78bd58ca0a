import type { DuckDBConnection } from '@duckdb/node-api';

/** A table, its columns and its constraints/indexes, as DuckDB reports them. */
export interface TableShape {
  columns: Map<string, string>;
  constraints: Set<string>;
}

/**
 * Reads the user tables of the main database: columns with their types and nullability,
 * primary keys, unique constraints and indexes.
 */
export async function introspectSchema(connection: DuckDBConnection): Promise<Map<string, TableShape>> {
  const tables = new Map<string, TableShape>();
  const shape = (name: string): TableShape => {
    let t = tables.get(name);
    if (!t) {
      t = { columns: new Map(), constraints: new Set() };
      tables.set(name, t);
    }
    return t;
  };
  const cols = await connection.runAndReadAll(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal ORDER BY table_name, column_index`,
  );
  for (const r of cols.getRowObjectsJS()) {
    const nullable = r.is_nullable ? 'NULL' : 'NOT NULL';
    const def = r.column_default == null ? '' : ` DEFAULT ${String(r.column_default)}`;
    shape(String(r.table_name)).columns.set(
      String(r.column_name),
      `${String(r.data_type)} ${nullable}${def}`,
    );
  }
  const cons = await connection.runAndReadAll(
    `SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints()
     WHERE database_name = current_database() AND schema_name = 'main' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')`,
  );
  for (const r of cons.getRowObjectsJS()) {
    shape(String(r.table_name)).constraints.add(
      `${String(r.constraint_type)} (${(r.constraint_column_names as string[]).join(', ')})`,
    );
  }
  const idx = await connection.runAndReadAll(
    `SELECT table_name, index_name, expressions FROM duckdb_indexes()
     WHERE database_name = current_database() AND schema_name = 'main'`,
  );
  for (const r of idx.getRowObjectsJS()) {
    shape(String(r.table_name)).constraints.add(`INDEX ${String(r.index_name)} ${String(r.expressions)}`);
  }
  return tables;
}
