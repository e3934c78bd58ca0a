import type {
  DuckDBConnection,
  DuckDBPreparedStatement,
  DuckDBResultReader,
  DuckDBValue,
} from '@duckdb/node-api';
import type { SqlParam } from './compiled-query.ts';

/** Most prepared statements kept per connection (least recently used dropped first). */
const MAX_STATEMENTS = 64;

const statements = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();

/**
 * Runs a query with bound parameters through a prepared statement kept per connection. Builders compile the
 * same text for the same shape, so a repeated query skips statement extraction, parsing and planning (two of
 * the three round trips to DuckDB's threads of an unprepared parameterized run). A connection serves one caller
 * at a time (the pool), so its statements are never bound concurrently. With `maxRows`, at most `maxRows` rows
 * are read from a streaming result.
 * @example const reader = await runPrepared(connection, 'SELECT ?::INTEGER AS n', [1]);
 */
export async function runPrepared(
  connection: DuckDBConnection,
  sql: string,
  params: readonly SqlParam[],
  maxRows?: number,
): Promise<DuckDBResultReader> {
  const statement = await preparedFor(connection, sql);
  statement.bind(params as DuckDBValue[]);
  return maxRows === undefined ? statement.runAndReadAll() : statement.streamAndReadUntil(maxRows);
}

async function preparedFor(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  let cache = statements.get(connection);
  if (cache === undefined) {
    cache = new Map();
    statements.set(connection, cache);
  }
  const cached = cache.get(sql);
  if (cached !== undefined) {
    cache.delete(sql);
    cache.set(sql, cached);
    return cached;
  }
  const statement = await connection.prepare(sql);
  cache.set(sql, statement);
  if (cache.size > MAX_STATEMENTS) {
    const [oldestSql, oldest] = cache.entries().next().value as [string, DuckDBPreparedStatement];
    cache.delete(oldestSql);
    oldest.destroySync();
  }
  return statement;
}
