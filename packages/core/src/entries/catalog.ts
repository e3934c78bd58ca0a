/**
 * `@duckside/core/catalog`: the description of every table (columns, SQL types, which are written), from which
 * writers, staged SQL and the migrator's import targets are derived, and the storage table behind each data table.
 * @example
 * import { TRADING_TRADES, writtenColumns } from '@duckside/core/catalog';
 * const names = writtenColumns(TRADING_TRADES).map((c) => c.name);
 */
export { IMPORT_WATERMARKS, MIGRATIONS_TABLE } from '../catalog/bookkeeping-tables.ts';
export {
  type Column,
  type ColumnKind,
  columnList,
  type SqlType,
  type Table,
  writtenColumns,
} from '../catalog/column.ts';
export {
  METRIC_SERIES,
  SCALAR_KIND,
  SERIES_FIELDS,
  type SeriesField,
} from '../catalog/metric-tables.ts';
export {
  OTLP_LOG_COLUMNS,
  SYSTEM_EVENTS,
  TRADING_CANDLES,
  TRADING_TRADES,
} from '../catalog/trading-tables.ts';
export { STORAGE_TABLES } from '../query/tables.ts';
