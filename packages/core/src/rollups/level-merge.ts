import type { DuckDBConnection } from '@duckdb/node-api';
import { DirtySource } from '../catalog/rollup-tables.ts';
import type { RollupLevel } from './rollup-levels.ts';
import {
  deleteKeyedSql,
  histogramRollupSelect,
  KEY_SPAN_SQL,
  type KeySpan,
  keySpan,
  listMinus,
  listPlus,
  metricRollupSelect,
  type PointSource,
  pruneSettledSql,
  RAW_HORIZON_SQL,
  streamKeysSql,
  tradeKeysSql,
  tradeRollupSelect,
} from './rollup-sql.ts';

/** One level table: how its rows are keyed, built from points, rebuilt and merged. */
interface LevelTable {
  readonly table: 'rollup_metrics' | 'rollup_histograms' | 'rollup_trades';
  /** Columns identifying a row (with `level_seconds`). */
  readonly keys: readonly string[];
  /** Columns identifying what a rebuild from raw rows replaces (`temp.rollup_keys`). */
  readonly rebuildKeys: readonly string[];
  /** The rows of points, as a SELECT in table order. */
  readonly select: (level: RollupLevel, source: PointSource) => string;
  /** `temp.rollup_keys` from a step's dirty rows (`temp.rollup_step`). */
  readonly dirtyKeys: (level: RollupLevel) => string;
  /** When the new row `d` merges into the stored row `r` exactly; otherwise the bucket is rebuilt from raw rows. */
  readonly mergeable: string;
  /** The stored columns `mergeable` reads. */
  readonly checked: readonly string[];
  /** The stored row `r` with the new row `d` merged in (an UPDATE's SET list; `r.` is the row before). */
  readonly merged: string;
}

/**
 * A cumulative first point's rise over the point before: its whole value after a fall or a new
 * start time; what `increase_rest` and `rest_counts` leave to whoever knows the point before.
 */
const firstRise = (value: string, fell: string, minus: string) =>
  `CASE WHEN ${fell} OR d.first_start IS DISTINCT FROM r.last_start THEN d.${value} ELSE ${minus} END`;

/**
 * The level tables. Scalar and histogram rows merge when every new point comes after the stored ones (the new
 * first point then follows the stored last point: its rise, as the raw query counts it, joins the rest); trades
 * when no first or last time ties (open and close are then the earlier and the later).
 */
export const LEVEL_TABLES: readonly LevelTable[] = [
  {
    table: 'rollup_metrics',
    keys: ['stream_key', 'bucket'],
    rebuildKeys: ['stream_key', 'bucket'],
    select: metricRollupSelect,
    dirtyKeys: (level) => streamKeysSql(level, DirtySource.Metric),
    mergeable: 'd.first_time > r.last_time',
    checked: ['last_time'],
    merged: `count = r.count + d.count, sum = r.sum + d.sum, min = least(r.min, d.min), max = greatest(r.max, d.max),
  last_time = d.last_time, last_value = d.last_value, last_start = d.last_start,
  increase_rest = r.increase_rest + d.increase_rest + CASE WHEN NOT d.first_cumulative THEN 0
    ELSE ${firstRise('first_value', 'd.first_value < r.last_value', 'd.first_value - r.last_value')} END`,
  },
  {
    table: 'rollup_histograms',
    keys: ['stream_key', 'bounds', 'bucket'],
    rebuildKeys: ['stream_key', 'bucket'],
    select: histogramRollupSelect,
    dirtyKeys: (level) => streamKeysSql(level, DirtySource.Histogram),
    mergeable: 'd.first_time > r.last_time',
    checked: ['last_time'],
    merged: `points = r.points + d.points, last_time = d.last_time, last_counts = d.last_counts,
  last_count = d.last_count, last_start = d.last_start,
  rest_counts = ${listPlus(
    listPlus('r.rest_counts', 'd.rest_counts'),
    `CASE WHEN d.first_cumulative THEN ${firstRise(
      'first_counts',
      'd.first_count < r.last_count',
      listMinus('d.first_counts', 'r.last_counts'),
    )} END`,
  )}`,
  },
  {
    table: 'rollup_trades',
    keys: ['symbol', 'venue', 'bucket'],
    rebuildKeys: ['symbol', 'venue', 'bucket'],
    select: tradeRollupSelect,
    dirtyKeys: tradeKeysSql,
    mergeable: 'd.first_ts <> r.first_ts AND d.last_ts <> r.last_ts',
    checked: ['first_ts', 'last_ts'],
    merged: `open = CASE WHEN d.first_ts < r.first_ts THEN d.open ELSE r.open END, high = greatest(r.high, d.high),
  low = least(r.low, d.low), close = CASE WHEN d.last_ts > r.last_ts THEN d.close ELSE r.close END,
  first_ts = least(r.first_ts, d.first_ts), last_ts = greatest(r.last_ts, d.last_ts),
  volume = r.volume + d.volume, notional = r.notional + d.notional, trades = r.trades + d.trades`,
  },
];

const on = (columns: readonly string[], a: string, b: string) =>
  columns.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ');

/** The level's stored rows within the span, as `r` (their keys and `columns`). */
const stored = (t: LevelTable, level: RollupLevel, span: KeySpan, columns: readonly string[] = []) =>
  `(SELECT ${[...t.keys, ...columns].join(', ')} FROM main.${t.table} r
  WHERE r.level_seconds = ${level.seconds} AND ${keySpan(span)}) r`;

/** What merging pending rows into a level did: rows merged or inserted, keys rebuilt from raw rows. */
export interface MergeCounts {
  merged: number;
  rebuilt: number;
}

async function countOf(c: DuckDBConnection, table: string): Promise<number> {
  return Number(
    (await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM temp.${table}`)).getRowObjectsJS()[0]?.n,
  );
}

async function spanOf(c: DuckDBConnection, table: string): Promise<KeySpan | undefined> {
  const row = (
    await c.runAndReadAll(KEY_SPAN_SQL.replace('temp.rollup_keys', `temp.${table}`))
  ).getRowObjectsJS()[0] as Partial<KeySpan> | undefined;
  return row?.first && row.last ? { first: row.first, last: row.last } : undefined;
}

/**
 * Rebuilds the level's rows at the keys of `temp.rollup_keys` from raw rows (keys before the raw horizon that
 * hold a row are left alone: their raw rows are gone).
 */
async function rebuildKeys(c: DuckDBConnection, t: LevelTable, level: RollupLevel): Promise<void> {
  const span = await spanOf(c, 'rollup_keys');
  if (!span) return;
  await c.run(pruneSettledSql(t.table, level, span));
  await c.run(deleteKeyedSql(t.table, level, span));
  await c.run(`INSERT INTO main.${t.table} ${t.select(level, { raw: span })}`);
}

/** Rebuilds from raw rows the level's buckets the step's dirty rows (`temp.rollup_step`) touch. */
export async function rebuildDirty(c: DuckDBConnection, level: RollupLevel): Promise<void> {
  for (const t of LEVEL_TABLES) {
    await c.run(t.dirtyKeys(level));
    await rebuildKeys(c, t, level);
  }
}

/**
 * Merges the step's pending rows (`temp.rollup_step_*`) into the level: aggregates them per row key, adds each
 * aggregate to the stored row it follows (or inserts it where there is none), and rebuilds from raw rows the few
 * buckets where the new points interleave with stored ones (late points inside a bucket, ties). New points in a
 * stored bucket before the raw horizon stay raw only, as a rebuild would leave them (see `pruneSettledSql`).
 */
export async function mergePending(c: DuckDBConnection, level: RollupLevel): Promise<MergeCounts> {
  const counts = { merged: 0, rebuilt: 0 };
  for (const t of LEVEL_TABLES) {
    await c.run(`CREATE OR REPLACE TEMP TABLE rollup_delta AS ${t.select(level, { pending: true })}`);
    const span = await spanOf(c, 'rollup_delta');
    if (!span) continue;
    await c.run(`CREATE OR REPLACE TEMP TABLE rollup_keys AS
SELECT DISTINCT ${t.rebuildKeys.map((k) => `d.${k}`).join(', ')}
FROM temp.rollup_delta d JOIN ${stored(t, level, span, t.checked)} ON ${on(t.keys, 'r', 'd')} WHERE NOT (${t.mergeable}) OR d.bucket < ${RAW_HORIZON_SQL}`);
    const rebuilt = await countOf(c, 'rollup_keys');
    counts.rebuilt += rebuilt;
    if (rebuilt > 0) {
      await c.run(
        `DELETE FROM temp.rollup_delta d USING temp.rollup_keys k WHERE ${on(t.rebuildKeys, 'd', 'k')}`,
      );
      await rebuildKeys(c, t, level);
    }
    counts.merged += await countOf(c, 'rollup_delta');
    await c.run(`UPDATE main.${t.table} r SET ${t.merged}
FROM temp.rollup_delta d
WHERE r.level_seconds = ${level.seconds} AND ${keySpan(span)} AND ${on(t.keys, 'r', 'd')}`);
    await c.run(`INSERT INTO main.${t.table}
SELECT d.* FROM temp.rollup_delta d ANTI JOIN ${stored(t, level, span)} ON ${on(t.keys, 'r', 'd')}`);
  }
  return counts;
}
