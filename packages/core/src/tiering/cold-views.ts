import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { columnList } from '../catalog/column.ts';
import { dayCondition, fileSelectList, sqlLiteral } from './parquet-layout.ts';
import { TIER_TABLES, TIERED_SCHEMA, type TierTable, type TierView } from './tier-tables.ts';

/** A live cold file, as recorded in `duckside_cold_partitions`. */
export interface ColdPartition {
  table: string;
  day: string;
  part: number;
  /** Relative to the cold directory. */
  path: string;
  rows: number;
  bytes: number;
}

/**
 * The SQL of one view of the `duckside_tiers` schema: the hot rows of `main.<view>`, then one branch per cold day reading
 * that day's files with constant time bounds, so that a query whose time range misses a day never opens its
 * files (the optimizer drops the branch). With no cold file it is the hot view alone.
 */
export function tieredViewSql(
  dir: string,
  view: TierView,
  days: ReadonlyMap<string, readonly string[]>,
): string {
  return `CREATE OR REPLACE VIEW ${TIERED_SCHEMA}.${view.name} AS\n${tieredSelectSql(dir, view, days)}`;
}

/** The query of a tiered view: hot rows, then one branch per cold day. */
function tieredSelectSql(dir: string, view: TierView, days: ReadonlyMap<string, readonly string[]>): string {
  const branches = [hotSelect(view)];
  for (const [day, files] of [...days].sort(([a], [b]) => a.localeCompare(b))) {
    const list = files.map((f) => sqlLiteral(join(dir, f))).join(', ');
    branches.push(
      `SELECT ${fileSelectList(view.columns)} FROM read_parquet([${list}], hive_partitioning = false) WHERE ${dayCondition(day)}`,
    );
  }
  return branches.join('\nUNION ALL\n');
}

/**
 * The hot rows of a view followed by one read of `files` (relative to `dir`): a read scope's narrowed view, whose
 * files are all in the statement's range already, so one reader (bound once, not once per day) reads them all.
 * Each file holds the rows of its day only, so no time filter is needed; with no file it is the hot view alone.
 */
export function hotAndFilesSql(dir: string, view: TierView, files: readonly string[]): string {
  const hot = hotSelect(view);
  if (files.length === 0) return hot;
  const list = files.map((f) => sqlLiteral(join(dir, f))).join(', ');
  return `${hot}\nUNION ALL\nSELECT ${fileSelectList(view.columns)} FROM read_parquet([${list}], hive_partitioning = false)`;
}

function hotSelect(view: TierView): string {
  return `SELECT ${columnList(view.columns)} FROM main.${view.name}`;
}

/** The files of one table by day. */
export function daysOf(tier: TierTable, partitions: readonly ColdPartition[]): Map<string, string[]> {
  const days = new Map<string, string[]>();
  for (const p of partitions) {
    if (p.table !== tier.name) continue;
    const files = days.get(p.day) ?? [];
    files.push(p.path);
    days.set(p.day, files);
  }
  return days;
}

/**
 * (Re)creates every view of the `duckside_tiers` schema from the live partitions (in the caller's transaction, so that
 * the views change together with the catalog).
 */
export async function createTieredViews(
  connection: DuckDBConnection,
  dir: string,
  partitions: readonly ColdPartition[],
  tables: readonly TierTable[] = TIER_TABLES,
): Promise<void> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${TIERED_SCHEMA}`);
  for (const tier of tables) {
    const days = daysOf(tier, partitions);
    for (const view of tier.views) await connection.run(tieredViewSql(dir, view, days));
  }
}
