import type { DuckDBConnection } from '@duckdb/node-api';
import { ROLLUP_STATE } from '../catalog/rollup-tables.ts';
import { nanosToSqlTimestamp } from '../time/index.ts';
import type { RollupLevel } from './rollup-levels.ts';
import type { ExclusiveRunner } from './rollup-maintainer.ts';

/** How long each kind of row is kept (milliseconds; absent: forever). */
export interface DownsampleOptions {
  /**
   * Raw scalar points, explicit-histogram points and trades (the rows rollups are built from). The cutoff is
   * rounded down to the coarsest level, so a bucket's raw rows go all at once.
   */
  rawMaxAgeMs?: number;
  /** Rollup rows per level label, e.g. `{ '1m': 180 * 86_400_000 }` (absent levels are kept forever). */
  levelMaxAgeMs?: Readonly<Record<string, number>>;
  /** A batch aims to hold the writes up no longer than this (default 50 ms); its row count adapts. */
  targetBatchMs?: number;
  /** The time ages count from (unix ms, default now). */
  now?: number;
}

/** What a downsampling pass removed: rows per table (rollup tables per level, `rollup_metrics:1m`), series, batches. */
export interface DownsampleReport {
  deleted: Record<string, number>;
  /** `metric_series` rows no point referred to any more. */
  series: number;
  batches: number;
  /** The raw horizon after the pass (unix ms), or null. */
  rawHorizonMs: number | null;
}

/** Raw tables downsampling removes rows from (the sources of the rollups). */
const RAW_TABLES = ['metric_points', 'histogram_points', 'trading_trades'] as const;
/** Rollup tables, per level. */
const LEVEL_TABLES = ['rollup_metrics', 'rollup_histograms', 'rollup_trades'] as const;
/** The points tables a series row may be referred to from. */
const POINT_TABLES = ['metric_points', 'histogram_points', 'exp_histogram_points', 'summary_points'] as const;

const floorMs = (ms: number, widthMs: number) => Math.floor(ms / widthMs) * widthMs;

/** Deletes matching rows in batches of adaptive size, each alone with the writes; returns rows deleted and batches. */
async function deleteInBatches(
  exclusive: ExclusiveRunner,
  table: string,
  where: string,
  params: string[],
  targetMs: number,
): Promise<{ rows: number; batches: number }> {
  let size = 10_000;
  let rows = 0;
  let batches = 0;
  for (;;) {
    let n = 0;
    const started = performance.now();
    await exclusive(async (c) => {
      const reader = await c.runAndReadAll(
        `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${size})`,
        params,
      );
      n = Number(reader.getRows()[0]?.[0] ?? 0);
    });
    if (n === 0) return { rows, batches };
    rows += n;
    batches++;
    const ms = performance.now() - started;
    if (ms > targetMs) size = Math.max(1000, Math.floor(size / 2));
    else if (ms < targetMs / 2 && n === size) size = Math.min(1_000_000, size * 2);
  }
}

/**
 * Downsampling retention: removes raw rows older than `rawMaxAgeMs` (recording the raw horizon first, so the
 * maintenance step never re-aggregates a bucket whose raw rows are gone) and rollup rows older than each level's
 * keep-for, in bounded batches run in turn with the writes; then the `metric_series` rows no point refers to.
 * Rollups are keyed by stream, not series id, so they outlive their series rows.
 * `clearKnownSeries` runs alone with the writes before the series delete: writes built after it send their series
 * rows again, writes built before it commit before the delete (they are queued ahead of it). Finding the
 * candidate series reads every points table's ids, beside the writes; the delete re-checks only the candidates.
 * @example await downsample(read, exclusive, levels, () => known.clear(), { rawMaxAgeMs: 14 * 86_400_000 });
 */
export async function downsample(
  read: ConnectionReader,
  exclusive: ExclusiveRunner,
  levels: readonly RollupLevel[],
  clearKnownSeries: () => void,
  options: DownsampleOptions,
): Promise<DownsampleReport> {
  const now = options.now ?? Date.now();
  const targetMs = options.targetBatchMs ?? 50;
  const deleted: Record<string, number> = {};
  let batches = 0;
  let horizon: number | null = null;
  const remove = async (table: string, key: string, where: string, params: string[]) => {
    const r = await deleteInBatches(exclusive, table, where, params, targetMs);
    deleted[key] = (deleted[key] ?? 0) + r.rows;
    batches += r.batches;
  };
  if (options.rawMaxAgeMs !== undefined) {
    const coarsest = levels.at(-1);
    const cutoff = floorMs(now - options.rawMaxAgeMs, (coarsest?.seconds ?? 1) * 1000);
    const text = nanosToSqlTimestamp(BigInt(cutoff) * 1_000_000n);
    await exclusive(async (c) => {
      await c.run(
        `INSERT INTO ${ROLLUP_STATE.name} VALUES ('raw_horizon', ?::TIMESTAMP)
         ON CONFLICT (key) DO UPDATE SET value = greatest(value, excluded.value)`,
        [text],
      );
      horizon = await readHorizon(c);
    });
    for (const table of RAW_TABLES) await remove(table, table, 'ts < ?::TIMESTAMP', [text]);
  }
  for (const level of levels) {
    const age = options.levelMaxAgeMs?.[level.label];
    if (age === undefined) continue;
    const cutoff = nanosToSqlTimestamp(BigInt(floorMs(now - age, level.seconds * 1000)) * 1_000_000n);
    for (const table of LEVEL_TABLES) {
      await remove(
        table,
        `${table}:${level.label}`,
        `level_seconds = ${level.seconds} AND bucket < ?::TIMESTAMP`,
        [cutoff],
      );
    }
  }
  const series = await deleteUnreferencedSeries(read, exclusive, clearKnownSeries);
  return { deleted, series, batches, rawHorizonMs: horizon };
}

/** Runs `fn` on a pooled connection beside the writes (a read on a snapshot). */
export type ConnectionReader = <T>(fn: (connection: DuckDBConnection) => Promise<T>) => Promise<T>;

const unreferenced = (ids: string) =>
  POINT_TABLES.map((t) => `series_id NOT IN (SELECT series_id FROM ${t} WHERE series_id IN (${ids}))`).join(
    ' AND ',
  );

/**
 * Deletes the `metric_series` rows no point refers to: candidates are found beside the writes; then, alone with
 * them, the known-series cache is cleared (later writes send their series rows again) and, in the next turn, the
 * candidates still unreferenced are deleted (writes queued in between are committed by then).
 */
async function deleteUnreferencedSeries(
  read: ConnectionReader,
  exclusive: ExclusiveRunner,
  clearKnownSeries: () => void,
): Promise<number> {
  const candidates = await read(async (c) => {
    const r = await c.runAndReadAll(
      `SELECT series_id FROM metric_series s WHERE ${unreferenced('SELECT series_id FROM metric_series')}`,
    );
    return r.getRows().map(([id]) => String(id));
  });
  if (candidates.length === 0) return 0;
  await exclusive(async () => clearKnownSeries());
  let series = 0;
  await exclusive(async (c) => {
    await c.run('CREATE OR REPLACE TEMP TABLE series_candidates (series_id UBIGINT)');
    const appender = await c.createAppender('series_candidates', 'main', 'temp');
    for (const id of candidates) {
      appender.appendUBigInt(BigInt(id));
      appender.endRow();
    }
    appender.closeSync();
    const ids = 'SELECT series_id FROM temp.series_candidates';
    const reader = await c.runAndReadAll(
      `DELETE FROM metric_series WHERE series_id IN (${ids}) AND ${unreferenced(ids)}`,
    );
    series = Number(reader.getRows()[0]?.[0] ?? 0);
  });
  return series;
}

async function readHorizon(c: DuckDBConnection): Promise<number | null> {
  const r = await c.runAndReadAll(
    `SELECT epoch_ms(value) AS ms FROM ${ROLLUP_STATE.name} WHERE key = 'raw_horizon'`,
  );
  const v = r.getRows()[0]?.[0];
  return v === undefined || v === null ? null : Number(v);
}
