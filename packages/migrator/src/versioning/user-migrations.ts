import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Migration, USER_VERSIONS } from '@duckside/core/schema';
import { MigrationFileError } from '../errors/errors.ts';

const SQL_FILE = /^(\d+)_([a-z0-9_]+)\.(up|down)\.sql$/;
const MODULE_FILE = /^(\d+)_([a-z0-9_]+)\.(ts|mts|js|mjs)$/;

interface Parts {
  version: number;
  name: string;
  up?: string;
  down?: string;
  files: string[];
}

/**
 * Loads user migrations from a folder, sorted by version. Two forms:
 * - SQL: `1000_add_orders_index.up.sql` and `1000_add_orders_index.down.sql`;
 * - a module: `1001_backfill.ts` (or `.js`/`.mjs`) exporting `up` and `down`, each SQL text or a function returning
 *   it (sync or async), also accepted as a default export `{ up, down }`. TypeScript modules need a loader such as
 *   tsx (the `duckside-migrate` bin runs under one) or Node's type stripping.
 * Versions start at 1000 (lower ones are reserved for built-in migrations); both scripts must hold SQL.
 * @throws MigrationFileError for a malformed, incomplete or duplicate migration.
 * @example const migrations = await loadUserMigrations('./migrations');
 */
export async function loadUserMigrations(dir: string): Promise<Migration[]> {
  const folder = resolve(dir);
  let names: string[];
  try {
    names = (await readdir(folder)).sort();
  } catch (error) {
    throw new MigrationFileError(folder, 'cannot read the migrations folder', { cause: error });
  }
  const byVersion = new Map<number, Parts>();
  for (const file of names) {
    const sql = SQL_FILE.exec(file);
    const mod = sql ? null : MODULE_FILE.exec(file);
    const match = sql ?? mod;
    if (!match || file.endsWith('.d.ts') || file.endsWith('.test.ts')) continue;
    const version = Number(match[1]);
    const name = match[2] as string;
    if (version < USER_VERSIONS.min || version > USER_VERSIONS.max) {
      throw new MigrationFileError(
        file,
        `user migration versions start at ${USER_VERSIONS.min} (lower ones are built-in)`,
      );
    }
    const parts = byVersion.get(version) ?? { version, name, files: [] };
    byVersion.set(version, parts);
    if (parts.name !== name)
      throw new MigrationFileError(file, `version ${version} is already used by ${parts.name}`);
    parts.files.push(file);
    const path = join(folder, file);
    if (sql) {
      const direction = sql[3] as 'up' | 'down';
      if (parts[direction] !== undefined)
        throw new MigrationFileError(file, `a second ${direction} script for ${version}`);
      parts[direction] = await readFile(path, 'utf8');
    } else {
      if (parts.up !== undefined || parts.down !== undefined) {
        throw new MigrationFileError(file, `version ${version} is defined twice`);
      }
      Object.assign(parts, await loadModule(path, file));
    }
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version).map(toMigration);
}

function toMigration(p: Parts): Migration {
  const file = p.files.join(', ');
  for (const direction of ['up', 'down'] as const) {
    const text = p[direction];
    if (text === undefined)
      throw new MigrationFileError(file, `missing the ${direction} script of ${p.version}_${p.name}`);
    if (!hasStatements(text)) {
      throw new MigrationFileError(
        file,
        `the ${direction} script of ${p.version}_${p.name} has no SQL statement`,
      );
    }
  }
  return Object.freeze({ version: p.version, name: p.name, up: p.up as string, down: p.down as string });
}

async function loadModule(path: string, file: string): Promise<{ up: string; down: string }> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new MigrationFileError(file, `cannot load the module: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const source = (mod.up !== undefined ? mod : (mod.default as Record<string, unknown> | undefined)) ?? {};
  const text = async (direction: 'up' | 'down'): Promise<string> => {
    const value = source[direction];
    const resolved = typeof value === 'function' ? await (value as () => unknown)() : value;
    if (typeof resolved !== 'string') {
      throw new MigrationFileError(file, `export ${direction} must be SQL text or a function returning it`);
    }
    return resolved;
  };
  return { up: await text('up'), down: await text('down') };
}

/** True when SQL text holds something besides comments and whitespace. */
export function hasStatements(sql: string): boolean {
  return (
    sql
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/--[^\n]*/g, '')
      .replace(/[;\s]/g, '') !== ''
  );
}
