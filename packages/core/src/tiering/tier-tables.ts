import type { Column } from '../catalog/column.ts';
import { column, type Table, table } from '../catalog/column.ts';
import { METRIC_KIND_TABLES } from '../catalog/metric-tables.ts';
import { SYSTEM_EVENTS, TRADING_CANDLES, TRADING_TRADES } from '../catalog/trading-tables.ts';
import type { DataTable } from '../query/tables.ts';

/** A view of the `duckside_tiers` schema: hot rows of `main.<name>` followed by the same columns read from the files. */
export interface TierView {
  readonly name: string;
  readonly columns: readonly Column[];
}

/**
 * One table the cold tier moves day by day: its folder, the columns of its files (series inlined for metric
 * points, so that each file stands alone), the hot table rows are deleted from, the row order inside a file,
 * the columns whose sums check a written file, and the views that span both tiers.
 */
export interface TierTable {
  /** The data table queries read, and the folder under the cold directory: `<dir>/<name>/date=.../`. */
  readonly name: DataTable;
  /** Columns of the Parquet files, in order. */
  readonly fileColumns: readonly Column[];
  /** Where the hot rows of a day are read (with the series columns): `main.<name>`. */
  readonly source: string;
  /** The stored table the moved rows are deleted from. */
  readonly storage: string;
  /** Sort order of the rows in a file (series, then time). */
  readonly order: string;
  /** Columns whose sums (and hashes) are compared between the hot rows and the written file. */
  readonly sums: readonly string[];
  /** The views of the `duckside_tiers` schema this table's files feed. */
  readonly views: readonly TierView[];
}

const SUMS: Readonly<Record<string, readonly string[]>> = {
  trading_metrics: ['value', 'series_id'],
  otel_histograms: ['count', 'sum', 'series_id'],
  otel_exp_histograms: ['count', 'sum', 'series_id'],
  otel_summaries: ['count', 'sum', 'series_id'],
};

const metricTiers: TierTable[] = METRIC_KIND_TABLES.map((k) => ({
  name: k.view,
  fileColumns: k.viewColumns,
  source: `main.${k.view}`,
  storage: k.points.name,
  order: 'series_id, ts, time_unix_nano',
  sums: SUMS[k.view] ?? [],
  views: [
    { name: k.view, columns: k.viewColumns },
    { name: k.points.name, columns: k.points.columns },
  ],
}));

function plainTier(t: Table, order: string, sums: readonly string[]): TierTable {
  return {
    name: t.name as DataTable,
    fileColumns: t.columns,
    source: `main.${t.name}`,
    storage: t.name,
    order,
    sums,
    views: [{ name: t.name, columns: t.columns }],
  };
}

/** Every table of the cold tier, in the order a round moves them. */
export const TIER_TABLES: readonly TierTable[] = Object.freeze([
  ...metricTiers,
  plainTier(TRADING_CANDLES, 'symbol, venue, interval, ts', ['open', 'high', 'low', 'close', 'volume']),
  plainTier(TRADING_TRADES, 'symbol, venue, ts', ['quantity', 'price', 'fee']),
  plainTier(SYSTEM_EVENTS, 'source, ts, id', ['id', 'level']),
]);

/** The schema whose views span both tiers; `db.setReadSchema` puts it before `main` for queries. */
export const TIERED_SCHEMA = 'duckside_tiers';

/**
 * `duckside_cold_partitions`: the live cold files. A file is part of the tier exactly when its row is here; the row
 * is inserted in the transaction that deletes the moved rows, so a file written by a step that did not commit is
 * an orphan (removed at the next open). Created on demand, like the migration tracking table.
 */
export const COLD_PARTITIONS: Table = table(
  'duckside_cold_partitions',
  [
    column('table_name', 'VARCHAR'),
    column('day', 'VARCHAR'),
    column('part', 'INTEGER'),
    column('path', 'VARCHAR'),
    column('rows', 'UBIGINT'),
    column('bytes', 'UBIGINT'),
    column('created_at', 'TIMESTAMP'),
  ],
  ['table_name', 'day', 'part'],
);

/**
 * The tier table of a data table.
 * @throws Error for a table the tier does not move (a programming error).
 */
export function tierTable(name: string): TierTable {
  const found = TIER_TABLES.find((t) => t.name === name);
  if (!found) throw new Error(`${name} is not a table of the cold tier`);
  return found;
}
