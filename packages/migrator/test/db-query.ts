import { Database } from '@duckside/core';

/** Opens a database file (without migrating it), runs `fn`, and closes it. */
export async function withDb<T>(path: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open({ path, initialize: false });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Rows of a SQL query as plain objects. */
export function rows<T = Record<string, unknown>>(db: Database, sql: string): Promise<T[]> {
  return db.withConnection(async (c) => (await c.runAndReadAll(sql)).getRowObjectsJS() as T[]);
}

/** Rows of a SQL query on a database file. */
export function query(path: string, sql: string): Promise<Record<string, unknown>[]> {
  return withDb(path, (db) => rows(db, sql));
}
