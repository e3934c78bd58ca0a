import { IMPORT_WATERMARKS } from './bookkeeping-tables.ts';
import type { Column, Table } from './column.ts';
import { METRIC_KIND_TABLES, METRIC_SERIES } from './metric-tables.ts';
import { ROLLUP_PENDING_TABLES, ROLLUP_TABLES } from './rollup-tables.ts';
import { SYSTEM_EVENTS, TRADING_CANDLES, TRADING_TRADES } from './trading-tables.ts';

/** Every table the built-in migrations create (the tracking table is created on demand, outside them). */
export const CATALOG_TABLES: readonly Table[] = Object.freeze([
  METRIC_SERIES,
  ...METRIC_KIND_TABLES.map((k) => k.points),
  TRADING_CANDLES,
  TRADING_TRADES,
  SYSTEM_EVENTS,
  IMPORT_WATERMARKS,
  ...ROLLUP_TABLES,
  ...ROLLUP_PENDING_TABLES,
]);

/** Every view the built-in migrations create, with its columns in order. */
export const CATALOG_VIEWS: readonly { readonly name: string; readonly columns: readonly Column[] }[] =
  Object.freeze(METRIC_KIND_TABLES.map((k) => ({ name: k.view, columns: k.viewColumns })));
