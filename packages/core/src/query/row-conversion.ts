import { type DuckDBResultReader, DuckDBTypeId } from '@duckdb/node-api';

const INTEGER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);

/**
 * Reads result rows as plain objects. Conventions:
 * - TIMESTAMP columns become `Date` (millisecond precision; `*_unix_nano` columns hold exact nanoseconds);
 * - `*_unix_nano` columns and integers beyond 2^53 are `bigint`; other integers are `number`;
 * - DOUBLE is `number`, lists are arrays, VARCHAR is `string`, NULL is `null`.
 */
export function readRows<R>(reader: DuckDBResultReader, maxRows = Number.POSITIVE_INFINITY): R[] {
  const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
  const names = reader.columnNames();
  const convert = names.map(
    (name, i) => INTEGER_TYPES.has(reader.columnTypeId(i)) && !name.endsWith('unix_nano'),
  );
  const limit = Math.min(rows.length, maxRows);
  const out: R[] = new Array(limit);
  for (let r = 0; r < limit; r++) {
    const row = rows[r] as Record<string, unknown>;
    for (let c = 0; c < names.length; c++) {
      if (!convert[c]) continue;
      const name = names[c] as string;
      const v = row[name];
      if (
        typeof v === 'bigint' &&
        v <= BigInt(Number.MAX_SAFE_INTEGER) &&
        v >= BigInt(Number.MIN_SAFE_INTEGER)
      ) {
        row[name] = Number(v);
      }
    }
    out[r] = row as R;
  }
  return out;
}
