import { type DuckDBResultReader, DuckDBTypeId } from '@duckdb/node-api';

const INTEGER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/**
 * Reads result rows as plain objects. Conventions:
 * - TIMESTAMP columns become `Date` (millisecond precision; `*_unix_nano` columns hold exact nanoseconds);
 * - `*_unix_nano` columns and integers beyond 2^53 are `bigint`; other integers are `number`;
 * - DOUBLE is `number`, lists are arrays, VARCHAR is `string`, NULL is `null`.
 * Only the 64-bit integer columns are visited after DuckDB's own conversion, each value once.
 * @example const rows = readRows<{ n: number }>(await connection.runAndReadAll('SELECT 1::BIGINT AS n'));
 */
export function readRows<R>(reader: DuckDBResultReader, maxRows = Number.POSITIVE_INFINITY): R[] {
  const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
  if (rows.length > maxRows) rows.length = maxRows;
  const names = reader.columnNames();
  const integers = names.filter(
    (name, i) => INTEGER_TYPES.has(reader.columnTypeId(i)) && !name.endsWith('unix_nano'),
  );
  for (const name of integers) {
    for (const row of rows) {
      const v = row[name];
      if (typeof v === 'bigint' && v <= MAX_SAFE && v >= MIN_SAFE) row[name] = Number(v);
    }
  }
  return rows as R[];
}
