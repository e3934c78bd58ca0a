import { POINTS_TABLES } from '../catalog/metric-tables.ts';
import { ValidationError } from '../errors/errors.ts';

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
 * The stored table behind each data table: the metric tables are views joining narrow points tables with
 * `metric_series`; deletes and storage figures go to the points table.
 */
export const STORAGE_TABLES: Readonly<Record<DataTable, string>> = {
  ...POINTS_TABLES,
  trading_candles: 'trading_candles',
  trading_trades: 'trading_trades',
  system_events: 'system_events',
};

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
