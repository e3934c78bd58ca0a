import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * An order-independent fingerprint of every column of `trading_metrics`: row count, sums of the times, and the sum of
 * a hash of the remaining columns (exact: no floating-point sums, whose order varies). Two databases holding the same rows have the same fingerprint.
 * @example (await tableFingerprint(a)) === (await tableFingerprint(b))
 */
export async function tableFingerprint(connection: DuckDBConnection): Promise<string> {
  const reader = await connection.runAndReadAll(`SELECT count(*) AS n, sum(epoch_us(ts)::HUGEINT) AS ts,
  sum(time_unix_nano::HUGEINT) AS t, sum(coalesce(start_time_unix_nano, 0)::HUGEINT) AS st,
  sum(hash(name, unit, description, symbol, service, attributes, resource, scope, exemplars, flags, kind,
           temporality, is_monotonic, value, value_int)::HUGEINT) AS h
FROM trading_metrics`);
  return JSON.stringify(reader.getRowsJS()[0], (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}
