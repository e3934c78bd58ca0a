import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ConnectionError, DatabaseLockedError } from '../errors/errors.ts';

interface Entry {
  instance: Promise<DuckDBInstance>;
  refs: number;
}

const entries = new Map<string, Entry>();

/** Normalizes a database path: `:memory:` stays as is, files become absolute. */
export function normalizePath(path: string): string {
  return path === ':memory:' || path === '' ? ':memory:' : resolve(path);
}

/**
 * Opens (or shares) the one DuckDB instance of a file in this process; `:memory:` is always a new instance.
 * The caller must call {@link releaseInstance} once per successful acquire.
 */
export async function acquireInstance(
  path: string,
  options: Record<string, string>,
): Promise<DuckDBInstance> {
  const key = normalizePath(path);
  if (key === ':memory:') return openInstance(key, options);
  const existing = entries.get(key);
  if (existing) {
    existing.refs++;
    return existing.instance;
  }
  const entry: Entry = { instance: openInstance(key, options), refs: 1 };
  entries.set(key, entry);
  entry.instance.catch(() => entries.delete(key));
  return entry.instance;
}

/** Releases one reference; the instance is closed when the last one goes. */
export function releaseInstance(path: string, instance: DuckDBInstance): void {
  const key = normalizePath(path);
  const entry = entries.get(key);
  if (key === ':memory:' || !entry) {
    instance.closeSync();
    return;
  }
  entry.refs--;
  if (entry.refs === 0) {
    entries.delete(key);
    instance.closeSync();
  }
}

async function openInstance(path: string, options: Record<string, string>): Promise<DuckDBInstance> {
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new ConnectionError(`cannot create the folder of database file ${path}`, { cause: error });
    }
  }
  try {
    return await DuckDBInstance.create(path, options);
  } catch (error) {
    const text = String((error as Error)?.message ?? error);
    if (/lock/i.test(text)) {
      const holder = /\(PID (\d+)\)/.exec(text);
      throw new DatabaseLockedError(path, holder ? `PID ${holder[1]}` : undefined, { cause: error });
    }
    throw new ConnectionError(`cannot open database file ${path}: ${firstLine(text)}`, { cause: error });
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 200) ?? '';
}
