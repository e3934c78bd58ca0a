import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_MIGRATIONS, MIGRATIONS_TABLE_DDL } from '../schema/builtin-migrations.ts';
import { MigrationRunner } from '../schema/migration-runner.ts';
import { MIGRATIONS } from './bookkeeping-tables.ts';
import { CATALOG_TABLES, CATALOG_VIEWS } from './catalog-tables.ts';
import type { Column, Table } from './column.ts';

interface Described {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
}

let instance: DuckDBInstance;
/** Columns of every table and view once all built-in migrations ran, in column order, by table name. */
let migrated: Map<string, Described[]>;
/** Primary keys of the migrated tables, by table name. */
let keys: Map<string, string[]>;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await new MigrationRunner(connection, BUILTIN_MIGRATIONS).up();
  const columns = await connection.runAndReadAll(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM duckdb_columns()
     WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index`,
  );
  migrated = new Map();
  for (const r of columns.getRowObjectsJS()) {
    const list = migrated.get(String(r.table_name)) ?? [];
    list.push({
      name: String(r.column_name),
      type: String(r.data_type),
      nullable: Boolean(r.is_nullable),
      default: r.column_default === null ? null : String(r.column_default),
    });
    migrated.set(String(r.table_name), list);
  }
  const constraints = await connection.runAndReadAll(
    `SELECT table_name, constraint_column_names FROM duckdb_constraints()
     WHERE schema_name = 'main' AND constraint_type = 'PRIMARY KEY'`,
  );
  keys = new Map(
    constraints
      .getRowObjectsJS()
      .map((r) => [String(r.table_name), (r.constraint_column_names as string[]).map(String)]),
  );
  connection.closeSync();
});
afterAll(() => instance.closeSync());

const described = (columns: readonly Column[]): Described[] =>
  columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, default: c.default }));

describe('the table catalog', () => {
  it('names every table and view the built-in migrations create, and no other', () => {
    const names = [...CATALOG_TABLES, ...CATALOG_VIEWS, MIGRATIONS].map((t) => t.name).sort();
    expect([...migrated.keys()].sort()).toEqual(names);
  });

  it.each(CATALOG_TABLES.map((t) => [t.name, t] as const))(
    'describes %s as the migrations leave it: columns in order, types, nullability, defaults, key',
    (name, t: Table) => {
      expect(migrated.get(name)).toEqual(described(t.columns));
      expect(keys.get(name) ?? []).toEqual(t.primaryKey);
    },
  );

  it.each(CATALOG_VIEWS.map((v) => [v.name, v] as const))(
    'describes the view %s: its columns in order with their types',
    (name, view) => {
      const columns = migrated.get(name)?.map(({ name, type }) => ({ name, type }));
      expect(columns).toEqual(view.columns.map(({ name, type }) => ({ name, type })));
    },
  );

  it('creates the tracking table the migrations are recorded in as the catalog describes it', async () => {
    expect(migrated.get(MIGRATIONS.name)).toEqual(described(MIGRATIONS.columns));
    expect(keys.get(MIGRATIONS.name)).toEqual(MIGRATIONS.primaryKey);
    expect(MIGRATIONS_TABLE_DDL).toMatch(/^CREATE TABLE IF NOT EXISTS duckside_migrations \(/);
  });
});
