import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import { MIGRATIONS_TABLE } from '../catalog/bookkeeping-tables.ts';
import { BUILTIN_MIGRATIONS } from './builtin-migrations.ts';
import type { Migration } from './migration.ts';
import { MigrationRunner, type RunnerOptions } from './migration-runner.ts';
import { introspectSchema, type TableShape } from './schema-introspection.ts';

/** One difference between the expected and the actual schema. */
export interface SchemaDifference {
  kind: 'missing_table' | 'missing_column' | 'different_column' | 'missing_constraint' | 'unexpected_column';
  table: string;
  detail: string;
}

/** The result of a schema verification. */
export interface SchemaReport {
  ok: boolean;
  /** Version the database's tracking table says it is at. */
  currentVersion: number;
  /** Version the known migrations reach. */
  expectedVersion: number;
  differences: SchemaDifference[];
}

/**
 * Compares the database's schema with the one the migrations produce, built in a scratch in-memory
 * database from the same migration list (the single source of truth).
 * @example const report = await verifySchema(conn); if (!report.ok) console.table(report.differences);
 */
export async function verifySchema(
  connection: DuckDBConnection,
  migrations: readonly Migration[] = BUILTIN_MIGRATIONS,
  options: RunnerOptions = {},
): Promise<SchemaReport> {
  const expected = await expectedSchema(migrations);
  const actual = await introspectSchema(connection);
  const status = await new MigrationRunner(connection, migrations, options).status();
  const differences: SchemaDifference[] = [];
  for (const [table, want] of expected) {
    const have = actual.get(table);
    if (!have) {
      differences.push({ kind: 'missing_table', table, detail: `table ${table} does not exist` });
      continue;
    }
    diffTable(table, want, have, differences);
  }
  const latest = migrations.length > 0 ? (migrations[migrations.length - 1] as Migration).version : 0;
  return {
    ok: differences.length === 0 && status.current === latest,
    currentVersion: status.current,
    expectedVersion: latest,
    differences,
  };
}

function diffTable(table: string, want: TableShape, have: TableShape, out: SchemaDifference[]): void {
  for (const [column, type] of want.columns) {
    const actualType = have.columns.get(column);
    if (actualType === undefined) out.push({ kind: 'missing_column', table, detail: `${column} ${type}` });
    else if (actualType !== type) {
      out.push({
        kind: 'different_column',
        table,
        detail: `${column}: expected ${type}, found ${actualType}`,
      });
    }
  }
  for (const column of have.columns.keys()) {
    if (!want.columns.has(column)) out.push({ kind: 'unexpected_column', table, detail: column });
  }
  for (const c of want.constraints) {
    if (!have.constraints.has(c)) out.push({ kind: 'missing_constraint', table, detail: c });
  }
}

const cache = new WeakMap<readonly Migration[], Promise<Map<string, TableShape>>>();

async function expectedSchema(migrations: readonly Migration[]): Promise<Map<string, TableShape>> {
  let pending = cache.get(migrations);
  if (!pending) {
    pending = buildExpected(migrations);
    cache.set(migrations, pending);
  }
  return pending;
}

async function buildExpected(migrations: readonly Migration[]): Promise<Map<string, TableShape>> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    await new MigrationRunner(connection, migrations).up();
    const shape = await introspectSchema(connection);
    shape.delete(MIGRATIONS_TABLE);
    connection.closeSync();
    return shape;
  } finally {
    instance.closeSync();
  }
}
