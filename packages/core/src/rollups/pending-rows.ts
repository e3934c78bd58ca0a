import type { Table } from '../catalog/column.ts';
import { HISTOGRAM_KIND, SCALAR_KIND } from '../catalog/metric-tables.ts';
import {
  ROLLUP_PENDING_HISTOGRAMS,
  ROLLUP_PENDING_METRICS,
  ROLLUP_PENDING_TRADES,
} from '../catalog/rollup-tables.ts';
import { TRADING_TRADES } from '../catalog/trading-tables.ts';
import type { ColumnarTable } from '../writers/columnar-table.ts';

/** The pending table each rollup source table is copied into. */
const PENDING_OF: Readonly<Record<string, Table>> = {
  [SCALAR_KIND.points.name]: ROLLUP_PENDING_METRICS,
  [HISTOGRAM_KIND.points.name]: ROLLUP_PENDING_HISTOGRAMS,
  [TRADING_TRADES.name]: ROLLUP_PENDING_TRADES,
};

/** The arrays of the columns of `target`, taken (not copied) from `t`, which must hold them all. */
function project(t: ColumnarTable, target: Table): ColumnarTable {
  const starts = new Map<string, number>();
  let index = 0;
  for (const c of t.spec) {
    starts.set(c.name, index);
    index += c.kind === 'nanos' ? 2 : 1;
  }
  const columns: unknown[][] = [];
  for (const c of target.columns) {
    const start = starts.get(c.name);
    if (start === undefined) throw new Error(`${t.table} rows lack ${c.name} for ${target.name}`);
    columns.push(t.columns[start] as unknown[]);
    if (c.kind === 'nanos') columns.push(t.columns[start + 1] as unknown[]);
  }
  return { table: target.name, spec: target.columns, columns, length: t.length, bookkeeping: true };
}

/**
 * The `rollup_pending_*` rows of a write: the columns rollups read of its scalar points, explicit-histogram
 * points and trades (the same arrays, nothing copied in JS). Written in the same transaction as the rows, so a
 * committed point is always either pending or merged into its rollups.
 * @example tables.push(...pendingRows(batch.toTables()));
 */
export function pendingRows(tables: readonly ColumnarTable[]): ColumnarTable[] {
  const pending: ColumnarTable[] = [];
  for (const t of tables) {
    const target = t.catalog === undefined ? PENDING_OF[t.table] : undefined;
    if (target && t.length > 0) pending.push(project(t, target));
  }
  return pending;
}
