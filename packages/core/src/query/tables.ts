import { ValidationError } from '../errors.ts';

/** The data tables queries and retention may name: the allowlist of identifiers. */
export const DATA_TABLES = [
  'trading_metrics',
  'otel_histograms',
  'otel_exp_histograms',
  'otel_summaries',
  'trading_candles',
  'trading_trades',
  'system_events',
] as const;
/** One of {@link DATA_TABLES}. */
export type DataTable = (typeof DATA_TABLES)[number];

/**
 * Checks a table name against the allowlist.
 * @throws ValidationError for any other name.
 */
export function checkTable(table: string): DataTable {
  if (!(DATA_TABLES as readonly string[]).includes(table)) {
    throw new ValidationError('table', `must be one of ${DATA_TABLES.join(', ')}`);
  }
  return table as DataTable;
}
