import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.ts';
import { MIGRATIONS_TABLE } from '../catalog/bookkeeping-tables.ts';
import { MigrationError } from '../errors/errors.ts';
import { BUILTIN_MIGRATIONS, BUILTIN_VERSIONS, USER_VERSIONS } from './builtin-migrations.ts';
import type { Migration } from './migration.ts';
import { checksumOf, MigrationRunner } from './migration-runner.ts';
import { introspectSchema } from './schema-introspection.ts';
import { verifySchema } from './schema-verifier.ts';

const m = (version: number, table: string, extra = ''): Migration => ({
  version,
  name: `create_${table}`,
  up: `CREATE TABLE ${table} (id INTEGER PRIMARY KEY${extra});`,
  down: `DROP TABLE ${table};`,
});
const M1 = m(1, 'one');
const M2 = m(2, 'two');
const M3 = m(3, 'three');

let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeEach(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});
afterEach(() => {
  connection.closeSync();
  instance.closeSync();
});

async function tables(): Promise<string[]> {
  const reader = await connection.runAndReadAll(
    "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name",
  );
  return reader.getRowObjectsJS().map((r) => String(r.table_name));
}

/** The full schema as text, for comparing two states. */
async function snapshot(): Promise<string> {
  const shape = await introspectSchema(connection);
  return JSON.stringify([...shape].map(([t, s]) => [t, [...s.columns], [...s.constraints].sort()]));
}

describe('checksumOf', () => {
  it('depends on the name and the up script, not on surrounding whitespace or down', () => {
    expect(checksumOf(M1)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumOf({ ...M1, up: `\n  ${M1.up}  \n`, down: 'other' })).toBe(checksumOf(M1));
    expect(checksumOf({ ...M1, up: M1.up.replace('INTEGER', 'BIGINT') })).not.toBe(checksumOf(M1));
    expect(checksumOf({ ...M1, name: 'renamed' })).not.toBe(checksumOf(M1));
  });
});

describe('MigrationRunner', () => {
  it('refuses a list whose versions do not increase', () => {
    expect(() => new MigrationRunner(connection, [M2, M1])).toThrow(MigrationError);
    expect(() => new MigrationRunner(connection, [M1, { ...M2, version: 1 }])).toThrow(MigrationError);
  });

  it('reports the status of a fresh database', async () => {
    const status = await new MigrationRunner(connection, [M1, M2]).status();
    expect(status).toEqual({
      applied: [],
      pending: [M1, M2],
      mismatched: [],
      gaps: [],
      current: 0,
      latest: 2,
    });
  });

  it('applies pending migrations in order and records them', async () => {
    const runner = new MigrationRunner(connection, [M1, M2, M3]);
    const steps = await runner.up({ to: 2 });
    expect(steps.map((s) => [s.version, s.name, s.direction, s.sql])).toEqual([
      [1, 'create_one', 'up', M1.up],
      [2, 'create_two', 'up', M2.up],
    ]);
    expect(await tables()).toEqual([MIGRATIONS_TABLE, 'one', 'two']);
    const status = await runner.status();
    expect(status.current).toBe(2);
    expect(status.pending).toEqual([M3]);
    expect(status.applied.map((a) => [a.version, a.name, a.checksum])).toEqual([
      [1, 'create_one', checksumOf(M1)],
      [2, 'create_two', checksumOf(M2)],
    ]);
    expect(status.applied[0]?.appliedAt).toBeInstanceOf(Date);
    expect((await runner.up()).map((s) => s.version)).toEqual([3]);
    expect(await runner.up()).toEqual([]);
  });

  it('only reports the SQL in a dry run', async () => {
    const runner = new MigrationRunner(connection, [M1, M2]);
    const steps = await runner.up({ dryRun: true });
    expect(steps.map((s) => [s.version, s.sql, s.durationMs])).toEqual([
      [1, M1.up, 0],
      [2, M2.up, 0],
    ]);
    expect(await tables()).toEqual([MIGRATIONS_TABLE]);
  });

  it('rolls back one step by default, or by steps, or down to a version', async () => {
    const runner = new MigrationRunner(connection, [M1, M2, M3]);
    await runner.up();
    expect((await runner.down()).map((s) => [s.version, s.direction, s.sql])).toEqual([[3, 'down', M3.down]]);
    expect(await tables()).toEqual([MIGRATIONS_TABLE, 'one', 'two']);
    await runner.up();
    expect((await runner.down({ steps: 2 })).map((s) => s.version)).toEqual([3, 2]);
    expect((await runner.status()).current).toBe(1);
    await runner.up();
    expect((await runner.down({ to: 0 })).map((s) => s.version)).toEqual([3, 2, 1]);
    expect(await tables()).toEqual([MIGRATIONS_TABLE]);
  });

  it('goes up, down and up again to an identical built-in schema', async () => {
    const runner = new MigrationRunner(connection, BUILTIN_MIGRATIONS);
    await runner.up();
    const first = await snapshot();
    expect((await verifySchema(connection)).ok).toBe(true);
    await runner.down({ to: 0 });
    expect(await tables()).toEqual([MIGRATIONS_TABLE]);
    const empty = await verifySchema(connection);
    expect(empty.ok).toBe(false);
    expect(empty.currentVersion).toBe(0);
    await runner.up();
    expect(await snapshot()).toBe(first);
    expect(await verifySchema(connection)).toMatchObject({ ok: true, differences: [] });
  });

  it('detects an edited applied migration by its checksum and refuses to go on', async () => {
    await new MigrationRunner(connection, [M1, M2]).up();
    const edited = { ...M2, up: M2.up.replace('PRIMARY KEY', 'PRIMARY KEY, note VARCHAR') };
    const runner = new MigrationRunner(connection, [M1, edited, M3]);
    const status = await runner.status();
    expect(status.mismatched).toEqual([
      { version: 2, name: 'create_two', reason: 'checksum differs: the migration was edited' },
    ]);
    const error = await errorOf(MigrationError, () => runner.up());
    expect(error.message).toContain('version 2 (create_two)');
    expect(await tables()).not.toContain('three');
    await errorOf(MigrationError, () => runner.down());
    expect((await runner.up({ force: true })).map((s) => s.version)).toEqual([3]);
  });

  it('detects a renamed applied migration', async () => {
    await new MigrationRunner(connection, [M1]).up();
    const status = await new MigrationRunner(connection, [{ ...M1, name: 'create_uno' }]).status();
    expect(status.mismatched).toEqual([{ version: 1, name: 'create_one', reason: 'name is now create_uno' }]);
  });

  it('detects a gap: a known version skipped below applied ones', async () => {
    await new MigrationRunner(connection, [M1, M3]).up();
    const runner = new MigrationRunner(connection, [M1, M2, M3]);
    const status = await runner.status();
    expect(status.gaps).toEqual([2]);
    expect(status.pending).toEqual([]);
    const error = await errorOf(MigrationError, () => runner.up());
    expect(error.message).toContain('version 2: gap');
  });

  it('detects an applied version that is no longer known', async () => {
    await new MigrationRunner(connection, [M1, M2]).up();
    const runner = new MigrationRunner(connection, [M1]);
    expect((await runner.status()).gaps).toEqual([2]);
    const error = await errorOf(MigrationError, () => runner.down({ force: true }));
    expect(error.message).toContain('version 2');
  });

  it('rolls a failing migration back completely and stops at the previous version', async () => {
    const broken: Migration = {
      version: 2,
      name: 'half_done',
      up: 'CREATE TABLE half (x INTEGER); INSERT INTO one VALUES (1); SELECT * FROM no_such_table;',
      down: 'DROP TABLE half;',
    };
    const runner = new MigrationRunner(connection, [M1, broken, M3]);
    const error = await errorOf(MigrationError, () => runner.up());
    expect(error.code).toBe('migration');
    expect(error.message).toContain('migration 2 (half_done) up failed and was rolled back');
    expect(error.cause).toBeInstanceOf(Error);
    expect(await tables()).toEqual([MIGRATIONS_TABLE, 'one']);
    expect(
      (await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM one')).getRowObjectsJS(),
    ).toEqual([{ n: 0 }]);
    const status = await runner.status();
    expect(status.current).toBe(1);
    expect(status.pending.map((p) => p.version)).toEqual([2, 3]);
    // The connection is out of the failed transaction and the fixed migration applies.
    const fixed = { ...broken, up: 'CREATE TABLE half (x INTEGER);' };
    expect((await new MigrationRunner(connection, [M1, fixed, M3]).up()).map((s) => s.version)).toEqual([
      2, 3,
    ]);
  });

  it('leaves tracking rows outside its version range alone', async () => {
    const user: Migration = { ...m(1000, 'user_notes'), name: 'user_notes' };
    await new MigrationRunner(connection, [M1, M2, user]).up();
    const builtin = new MigrationRunner(connection, [M1, M2, M3], { range: BUILTIN_VERSIONS });
    const status = await builtin.status();
    expect(status.gaps).toEqual([]);
    expect(status.applied.map((a) => a.version)).toEqual([1, 2]);
    expect((await builtin.up()).map((s) => s.version)).toEqual([3]);
    // Without a range the user row is a version the built-in list does not know.
    expect((await new MigrationRunner(connection, [M1, M2, M3]).status()).gaps).toEqual([1000]);
    expect((await builtin.down({ to: 0 })).map((s) => s.version)).toEqual([3, 2, 1]);
    const users = new MigrationRunner(connection, [user], { range: USER_VERSIONS });
    expect((await users.status()).applied.map((a) => a.version)).toEqual([1000]);
  });

  it('refuses a list with versions outside its range', () => {
    expect(() => new MigrationRunner(connection, [m(1000, 'x')], { range: BUILTIN_VERSIONS })).toThrow(
      MigrationError,
    );
    expect(() => new MigrationRunner(connection, [M1], { range: USER_VERSIONS })).toThrow(
      /outside versions 1000/,
    );
  });

  it('rolls a failing down migration back', async () => {
    const stubborn: Migration = { ...M2, down: 'DROP TABLE two; DROP TABLE no_such_table;' };
    const runner = new MigrationRunner(connection, [M1, stubborn]);
    await runner.up();
    await errorOf(MigrationError, () => runner.down());
    expect(await tables()).toEqual([MIGRATIONS_TABLE, 'one', 'two']);
    expect((await runner.status()).current).toBe(2);
  });
});
