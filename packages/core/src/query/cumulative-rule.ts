import type { SqlParam } from './compiled-query.ts';
import type { MetricFilter } from './metric-filter.ts';

/**
 * When the first point of a cumulative series in the queried range counts in full: its start time is known and
 * lies at or after the range's start (the series began inside the range, so everything it accumulated is in
 * range). Otherwise the first point only serves as the baseline for the next one. With no `from`, every series
 * began inside the range.
 * @example const rule = firstPointCounts(filter); sql += `WHEN prev IS NULL THEN CASE WHEN ${rule.sql} ...`;
 */
export function firstPointCounts(filter: MetricFilter): { sql: string; params: SqlParam[] } {
  if (filter.from === undefined) return { sql: 'start_time_unix_nano IS NOT NULL', params: [] };
  return { sql: 'start_time_unix_nano >= ?::BIGINT', params: [filter.from] };
}

/** The window every cumulative series is ordered in: one series per name, service, symbol and attributes. */
export const SERIES_WINDOW = 'PARTITION BY name, service, symbol, attributes ORDER BY time_unix_nano';
