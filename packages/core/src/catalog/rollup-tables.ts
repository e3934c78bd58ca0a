import { type Column, column, type Table, table } from './column.ts';
import { HISTOGRAM_KIND, SCALAR_KIND } from './metric-tables.ts';
import { TRADING_TRADES } from './trading-tables.ts';

/*
 * Rollup tables (version 6): aggregates of raw points per bucket of each rollup level, the buckets the writers
 * touched since the maintenance step last ran, and the levels maintained. See docs/rollups.md.
 */

/** Where a dirty bucket's raw rows are: `source` codes of `rollup_dirty`. */
export const DirtySource = { Metric: 1, Trade: 2, Histogram: 3 } as const;
/** A value of {@link DirtySource}. */
export type DirtySourceCode = (typeof DirtySource)[keyof typeof DirtySource];

/**
 * `rollup_dirty`: one row per (series or market, bucket) a commit touched, written in the same transaction as the
 * points; the maintenance step re-aggregates those buckets and deletes the rows it consumed in one transaction.
 * Metric and histogram rows carry `series_id` (symbol and venue NULL), trade rows `symbol` and `venue` (`series_id` 0). The
 * bucket spans `[bucket, bucket + width_seconds)`.
 */
export const ROLLUP_DIRTY: Table = table('rollup_dirty', [
  column('source', 'UTINYINT'),
  column('series_id', 'UBIGINT', { kind: 'id' }),
  column('symbol', 'VARCHAR', { nullable: true }),
  column('venue', 'VARCHAR', { nullable: true }),
  column('bucket', 'TIMESTAMP'),
  column('width_seconds', 'INTEGER'),
]);

/** `rollup_levels`: the levels maintained (bucket width in seconds and its short name, e.g. 3600 and `1h`). */
export const ROLLUP_LEVELS: Table = table(
  'rollup_levels',
  [column('width_seconds', 'INTEGER'), column('label', 'VARCHAR'), column('added_at', 'TIMESTAMP')],
  ['width_seconds'],
);

/** The level and stream identity (name, service, symbol, attributes under one `stream_key`) leading both stream tables. */
const STREAM_COLUMNS = [
  column('level_seconds', 'INTEGER'),
  column('stream_key', 'UBIGINT', { kind: 'id' }),
  column('name', 'VARCHAR'),
  column('service', 'VARCHAR', { nullable: true }),
  column('symbol', 'VARCHAR', { nullable: true }),
  column('attributes', 'VARCHAR', { json: true }),
];

/**
 * `rollup_metrics`: per level, scalar stream (name, service, symbol, attributes: what a counter's reset window
 * partitions by) and bucket: count, sum, min, max, the first and last point (time in ns, value, start time), and the
 * counter increase of every point but a cumulative first one (whose rise depends on the bucket before).
 */
export const ROLLUP_METRICS: Table = table('rollup_metrics', [
  ...STREAM_COLUMNS,
  column('bucket', 'TIMESTAMP'),
  column('count', 'UBIGINT'),
  column('sum', 'DOUBLE'),
  column('min', 'DOUBLE'),
  column('max', 'DOUBLE'),
  column('first_time', 'BIGINT'),
  column('first_value', 'DOUBLE'),
  column('first_start', 'BIGINT', { nullable: true }),
  column('first_cumulative', 'BOOLEAN'),
  column('last_time', 'BIGINT'),
  column('last_value', 'DOUBLE'),
  column('last_start', 'BIGINT', { nullable: true }),
  column('increase_rest', 'DOUBLE'),
]);

/**
 * `rollup_trades`: per level, symbol, venue and bucket, the candle of its trades: open/high/low/close with the
 * times of the first and last trade, volume, the VWAP numerator `sum(price * quantity)` and the trade count.
 */
export const ROLLUP_TRADES: Table = table('rollup_trades', [
  column('level_seconds', 'INTEGER'),
  column('symbol', 'VARCHAR'),
  column('venue', 'VARCHAR'),
  column('bucket', 'TIMESTAMP'),
  column('open', 'DOUBLE'),
  column('high', 'DOUBLE'),
  column('low', 'DOUBLE'),
  column('close', 'DOUBLE'),
  column('first_ts', 'TIMESTAMP'),
  column('last_ts', 'TIMESTAMP'),
  column('volume', 'DOUBLE'),
  column('notional', 'DOUBLE'),
  column('trades', 'UBIGINT'),
]);

/**
 * `rollup_histograms`: per level, explicit-bucket histogram stream (name, service, symbol, attributes: `stream_key`)
 * with one set of `bounds`, and bucket: the first and last point (time in ns, bucket counts, count, start time), the
 * summed bucket-count contributions of every point but a cumulative first one (`rest_counts`, NULL when none),
 * and the number of points.
 */
export const ROLLUP_HISTOGRAMS: Table = table('rollup_histograms', [
  ...STREAM_COLUMNS,
  column('bounds', 'DOUBLE[]'),
  column('bucket', 'TIMESTAMP'),
  column('points', 'UBIGINT'),
  column('first_time', 'BIGINT'),
  column('first_counts', 'DOUBLE[]'),
  column('first_count', 'UBIGINT'),
  column('first_start', 'BIGINT', { nullable: true }),
  column('first_cumulative', 'BOOLEAN'),
  column('last_time', 'BIGINT'),
  column('last_counts', 'DOUBLE[]'),
  column('last_count', 'UBIGINT'),
  column('last_start', 'BIGINT', { nullable: true }),
  column('rest_counts', 'DOUBLE[]', { nullable: true }),
]);

/**
 * `rollup_state`: named times of the rollup machinery. `raw_horizon`: raw rows before it were removed by
 * downsampling retention, so buckets before it are never re-aggregated (their rollups are all that is left).
 */
export const ROLLUP_STATE: Table = table(
  'rollup_state',
  [column('key', 'VARCHAR'), column('value', 'TIMESTAMP')],
  ['key'],
);

/** The rollup tables, in the order version 6 creates them. */
export const ROLLUP_TABLES: readonly Table[] = Object.freeze([
  ROLLUP_LEVELS,
  ROLLUP_DIRTY,
  ROLLUP_METRICS,
  ROLLUP_TRADES,
  ROLLUP_HISTOGRAMS,
  ROLLUP_STATE,
]);

/** The columns of `source` named, in the order given (a pending table's subset of a raw table). */
function pick(source: Table, names: readonly string[]): Column[] {
  return names.map((n) => {
    const c = source.columns.find((col) => col.name === n);
    if (!c) throw new Error(`${source.name} has no column ${n}`);
    return c;
  });
}

/**
 * `rollup_pending_metrics`, `rollup_pending_histograms`, `rollup_pending_trades` (version 7): a copy of the
 * columns rollups read of every raw scalar point, explicit-histogram point and trade a commit wrote, in the same
 * transaction. The maintenance step aggregates them and merges the result into the level tables (no raw rows
 * read), then deletes them, in one transaction. Readers treat their buckets as dirty until then.
 */
export const ROLLUP_PENDING_METRICS: Table = table(
  'rollup_pending_metrics',
  pick(SCALAR_KIND.points, [
    'series_id',
    'ts',
    'time_unix_nano',
    'start_time_unix_nano',
    'temporality',
    'value',
  ]),
);
/** See {@link ROLLUP_PENDING_METRICS}. */
export const ROLLUP_PENDING_HISTOGRAMS: Table = table(
  'rollup_pending_histograms',
  pick(HISTOGRAM_KIND.points, [
    'series_id',
    'ts',
    'time_unix_nano',
    'start_time_unix_nano',
    'temporality',
    'count',
    'bucket_counts',
    'explicit_bounds',
  ]),
);
/** See {@link ROLLUP_PENDING_METRICS}. */
export const ROLLUP_PENDING_TRADES: Table = table(
  'rollup_pending_trades',
  pick(TRADING_TRADES, ['ts', 'symbol', 'venue', 'quantity', 'price']),
);

/** The pending tables, in the order version 7 creates them. */
export const ROLLUP_PENDING_TABLES: readonly Table[] = Object.freeze([
  ROLLUP_PENDING_METRICS,
  ROLLUP_PENDING_HISTOGRAMS,
  ROLLUP_PENDING_TRADES,
]);
