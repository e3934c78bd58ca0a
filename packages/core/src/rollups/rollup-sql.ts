import { DirtySource, ROLLUP_DIRTY, ROLLUP_PENDING_TABLES } from '../catalog/rollup-tables.ts';
import type { RollupLevel } from './rollup-levels.ts';

/**
 * The stream of a scalar series as a 64-bit key: what a counter's reset window partitions by (name, service,
 * symbol, attributes), hashed from their JSON array (NULLs kept apart from text).
 * @example `SELECT ${STREAM_KEY_SQL} FROM metric_series`
 */
export const STREAM_KEY_SQL = 'md5_number_lower(json_array(name, service, symbol, attributes)::VARCHAR)';

/** `INTERVAL` of a level's width, as SQL (the width is a checked integer). */
export const widthSql = (level: RollupLevel) => `to_seconds(${level.seconds})`;

/** The level buckets a dirty row `[bucket, bucket + width)` overlaps, one per row (SQL over `d.`). */
const levelBuckets = (level: RollupLevel): string =>
  `unnest(generate_series(time_bucket(${widthSql(level)}, d.bucket),
    d.bucket + to_seconds(d.width_seconds) - INTERVAL 1 microsecond, ${widthSql(level)}))`;

/**
 * Temp table of the (stream, level bucket) keys the consumed dirty rows (`temp.rollup_step`) of a source (scalar
 * or histogram points) touch.
 */
export const streamKeysSql = (
  level: RollupLevel,
  source: typeof DirtySource.Metric | typeof DirtySource.Histogram,
) => `CREATE OR REPLACE TEMP TABLE rollup_keys AS
SELECT DISTINCT ${STREAM_KEY_SQL.replaceAll(/\b(name|service|symbol|attributes)\b/g, 's.$1')} AS stream_key,
  ${levelBuckets(level)} AS bucket
FROM temp.rollup_step d JOIN main.metric_series s USING (series_id) WHERE d.source = ${source}`;

/** Temp table of the (symbol, venue, level bucket) keys the consumed dirty rows touch. */
export const tradeKeysSql = (level: RollupLevel) => `CREATE OR REPLACE TEMP TABLE rollup_keys AS
SELECT DISTINCT d.symbol, d.venue, ${levelBuckets(level)} AS bucket
FROM temp.rollup_step d WHERE d.source = ${DirtySource.Trade}`;

/**
 * The first and last bucket of `temp.rollup_keys`, as TIMESTAMP literals read back from DuckDB: filters on them
 * are constants, which lets zone maps skip the row groups of other times (a scalar subquery would not).
 */
export interface KeySpan {
  readonly first: string;
  readonly last: string;
}

/** The buckets the keys span, on `r.bucket` (a constant filter zone maps use). */
export const keySpan = (span: KeySpan) =>
  `r.bucket BETWEEN TIMESTAMP '${span.first}' AND TIMESTAMP '${span.last}'`;

/** Reads the key span (undefined when there are no keys). */
export const KEY_SPAN_SQL =
  'SELECT min(bucket)::VARCHAR AS first, max(bucket)::VARCHAR AS last FROM temp.rollup_keys';

/** The raw horizon (see `rollup_state`), `-infinity` when no raw row was removed. */
export const RAW_HORIZON_SQL =
  "coalesce((SELECT value FROM main.rollup_state WHERE key = 'raw_horizon'), '-infinity'::TIMESTAMP)";

/**
 * Drops the keys before the raw horizon (see `rollup_state`) that the level already holds a row for: their raw
 * rows were removed, so re-aggregating would replace the rollup by the few raw rows written since (a late point
 * there stays raw only). Keys of buckets the level has no row for (history imported after the fact) are kept.
 */
export const pruneSettledSql = (
  table: 'rollup_metrics' | 'rollup_histograms' | 'rollup_trades',
  level: RollupLevel,
  span: KeySpan,
) => `DELETE FROM temp.rollup_keys k
WHERE k.bucket < ${RAW_HORIZON_SQL}
  AND EXISTS (SELECT 1 FROM main.${table} r WHERE r.level_seconds = ${level.seconds} AND ${keySpan(span)} AND r.bucket = k.bucket
    AND ${table === 'rollup_trades' ? 'r.symbol = k.symbol AND r.venue = k.venue' : 'r.stream_key = k.stream_key'})`;

/** Deletes the rollup rows of a level at the keys of `temp.rollup_keys`. */
export const deleteKeyedSql = (
  table: 'rollup_metrics' | 'rollup_histograms' | 'rollup_trades',
  level: RollupLevel,
  span: KeySpan,
) =>
  table !== 'rollup_trades'
    ? `DELETE FROM main.${table} r USING temp.rollup_keys k
WHERE r.level_seconds = ${level.seconds} AND ${keySpan(span)} AND r.stream_key = k.stream_key AND r.bucket = k.bucket`
    : `DELETE FROM main.rollup_trades r USING temp.rollup_keys k
WHERE r.level_seconds = ${level.seconds} AND ${keySpan(span)} AND r.symbol = k.symbol AND r.venue = k.venue AND r.bucket = k.bucket`;

/** The time window the keys span (a zone-map friendly prefilter of the raw rows). */
const keyWindow = (level: RollupLevel, column: string, span: KeySpan) =>
  `${column} >= TIMESTAMP '${span.first}' AND ${column} < TIMESTAMP '${span.last}' + ${widthSql(level)}`;

/**
 * Where an aggregation reads its points: the raw rows of the buckets of `temp.rollup_keys` (a rebuild), or every
 * row of a step's pending copies (`temp.rollup_step_*`, see `ROLLUP_PENDING_METRICS`).
 */
export type PointSource = { readonly raw: KeySpan } | { readonly pending: true };

/** The series the points of `from` (alias `p`) belong to, with their stream key and fields (CTE `series`). */
function seriesOf(source: PointSource, pendingTable: string): string {
  const fields = `series_id, ${STREAM_KEY_SQL} AS stream_key, name, service, symbol, attributes`;
  return 'raw' in source
    ? `series AS (SELECT ${fields} FROM main.metric_series
  WHERE ${STREAM_KEY_SQL} IN (SELECT stream_key FROM temp.rollup_keys))`
    : `series AS (SELECT ${fields} FROM main.metric_series
  WHERE series_id IN (SELECT DISTINCT series_id FROM temp.${pendingTable}))`;
}

/** CTE `names`: the fields of each stream of `series`. */
const NAMES = `names AS (
  SELECT DISTINCT ON (stream_key) stream_key, name, service, symbol, attributes FROM series ORDER BY stream_key)`;

/** The temp table a step copies its pending rows of `table` into. */
export const stepTable = (table: string) => table.replace('rollup_pending_', 'rollup_step_');

/** How points of one kind are read and ordered for their rollup rows. */
interface PointKind {
  /** The raw points table. */
  readonly raw: string;
  /** The pending table (its step copy is read). */
  readonly pending: string;
  /** The point columns the rollup needs (over `p.`; `t` is the time in ns). */
  readonly columns: string;
  /** What a point's predecessor is sought within (besides time order). */
  readonly partition: string;
  /** The predecessor's columns (`lag(...) OVER w`). */
  readonly lags: string;
}

const SCALAR_POINTS: PointKind = {
  raw: 'metric_points',
  pending: 'rollup_pending_metrics',
  columns: 'p.time_unix_nano AS t, p.value, p.temporality, p.start_time_unix_nano AS st',
  partition: 'stream_key',
  lags: 'lag(value) OVER w AS prev, lag(st) OVER w AS prev_st',
};

const HISTOGRAM_POINTS: PointKind = {
  raw: 'histogram_points',
  pending: 'rollup_pending_histograms',
  columns: `p.explicit_bounds AS bounds, p.time_unix_nano AS t, p.bucket_counts::DOUBLE[] AS counts, p.count,
    p.temporality, p.start_time_unix_nano AS st`,
  partition: 'stream_key, bounds',
  lags: 'lag(counts) OVER w AS prev_counts, lag(count) OVER w AS prev_count, lag(st) OVER w AS prev_st',
};

/** A point of `ordered` is its bucket's first / last (a FILTER condition). */
const FIRST = 'WHERE prev_bucket IS DISTINCT FROM bucket';
const LAST = 'WHERE next_bucket IS DISTINCT FROM bucket';

/** The temp table a step's pending points of a kind are ordered into, once for every level. */
const orderedTable = (kind: PointKind) => `${stepTable(kind.pending)}_ordered`;

/**
 * Orders a step's pending points of every kind once for all levels (inside the step's transaction): each with
 * its stream key and its predecessor in the stream (`prev_ts` and the kind's lag columns).
 */
export const ORDER_PENDING_SQL: readonly string[] = [SCALAR_POINTS, HISTOGRAM_POINTS].map(
  (kind) => `CREATE OR REPLACE TEMP TABLE ${orderedTable(kind)} AS
WITH ${seriesOf({ pending: true }, stepTable(kind.pending))}
SELECT *, ${kind.lags}, lag(ts) OVER w AS prev_ts, lead(ts) OVER w AS next_ts
FROM (SELECT se.stream_key, p.ts, ${kind.columns} FROM temp.${stepTable(kind.pending)} p JOIN series se USING (series_id))
WINDOW w AS (PARTITION BY ${kind.partition} ORDER BY t)`,
);

/**
 * CTEs `series`, `names` (each stream's fields) and `ordered`: the points of `source` with their stream, level
 * bucket, predecessor in the stream (`prev_bucket` and the kind's lag columns) and successor's bucket
 * (`next_bucket`; for raw rows, among the points of the keyed buckets). A point is its bucket's first when its
 * predecessor is in another bucket, its last when its successor is: plain filtered aggregates pick them. The
 * points carry no text: windows and groups over them stay narrow.
 */
function orderedPoints(level: RollupLevel, source: PointSource, kind: PointKind): string {
  const head = `${seriesOf(source, stepTable(kind.pending))},
${NAMES}`;
  if (!('raw' in source)) {
    return `${head},
ordered AS (
  SELECT *, time_bucket(${widthSql(level)}, ts) AS bucket, time_bucket(${widthSql(level)}, prev_ts) AS prev_bucket,
    time_bucket(${widthSql(level)}, next_ts) AS next_bucket
  FROM temp.${orderedTable(kind)})`;
  }
  return `${head},
pts AS (
  SELECT se.stream_key, time_bucket(${widthSql(level)}, p.ts) AS bucket, ${kind.columns}
  FROM main.${kind.raw} p JOIN series se USING (series_id)
  WHERE ${keyWindow(level, 'p.ts', source.raw)}),
kept AS (SELECT p.* FROM pts p SEMI JOIN temp.rollup_keys k ON p.stream_key = k.stream_key AND p.bucket = k.bucket),
ordered AS (
  SELECT *, ${kind.lags}, lag(bucket) OVER w AS prev_bucket, lead(bucket) OVER w AS next_bucket
  FROM kept WINDOW w AS (PARTITION BY ${kind.partition} ORDER BY t))`;
}

/**
 * Aggregates scalar points per stream and bucket into `rollup_metrics` rows (all series of each stream, in time
 * order: one window per stream, plain aggregates per bucket). `increase_rest` adds every point's counter contribution whose previous point is in
 * the same bucket (delta points: their value; a fall or a new start time: the whole value; else the rise), and a
 * delta first point's value; a cumulative first point's contribution is left to the reader, who knows the
 * bucket before (see `docs/rollups.md`).
 */
export const metricRollupSelect = (level: RollupLevel, source: PointSource) => `WITH ${orderedPoints(
  level,
  source,
  SCALAR_POINTS,
)},
grouped AS (
  SELECT stream_key, bucket, count(*) AS count, sum(value) AS sum, min(value) AS min, max(value) AS max,
    min(t) AS first_time, max(value) FILTER (${FIRST}) AS first_value, max(st) FILTER (${FIRST}) AS first_start,
    bool_or(temporality <> 1) FILTER (${FIRST}) AS first_cumulative,
    max(t) AS last_time, max(value) FILTER (${LAST}) AS last_value, max(st) FILTER (${LAST}) AS last_start,
    coalesce(sum(CASE WHEN temporality = 1 THEN value WHEN prev_bucket IS DISTINCT FROM bucket THEN 0
                      WHEN value < prev OR st IS DISTINCT FROM prev_st THEN value ELSE value - prev END), 0) AS increase_rest
  FROM ordered GROUP BY stream_key, bucket)
SELECT ${level.seconds} AS level_seconds, stream_key, n.name, n.service, n.symbol, n.attributes, bucket, count, sum,
  min, max, first_time, first_value, first_start, first_cumulative, last_time, last_value, last_start, increase_rest
FROM grouped JOIN names n USING (stream_key)`;

/**
 * Aggregates explicit-histogram points per stream, set of bounds and bucket into `rollup_histograms` rows (in
 * time order: one window per stream and set of bounds, plain aggregates per bucket): each
 * point's contribution as the raw quantile query counts it (delta and unspecified points their counts;
 * cumulative ones their rise over the previous point of the bucket, or all of it after a fall of `count` or a new
 * start time) summed bucket by bucket into `rest_counts`, a cumulative first point's left to the reader.
 */
export const histogramRollupSelect = (level: RollupLevel, source: PointSource) => `WITH ${orderedPoints(
  level,
  source,
  HISTOGRAM_POINTS,
)},
contributed AS (
  SELECT *, CASE WHEN temporality <> 2 THEN counts WHEN prev_bucket IS DISTINCT FROM bucket THEN NULL
    WHEN count < prev_count OR st IS DISTINCT FROM prev_st THEN counts
    ELSE ${listMinus('counts', 'prev_counts')} END AS contrib
  FROM ordered),
cells AS (
  SELECT stream_key, bounds, bucket, i, sum(c) AS c
  FROM (SELECT stream_key, bounds, bucket, unnest(contrib) AS c, generate_subscripts(contrib, 1) AS i
        FROM contributed WHERE contrib IS NOT NULL)
  GROUP BY ALL),
rest AS (SELECT stream_key, bounds, bucket, list(c ORDER BY i) AS rest_counts FROM cells GROUP BY ALL),
heads AS (
  SELECT stream_key, bounds, bucket, count(*) AS points,
    min(t) AS first_time, any_value(counts) FILTER (${FIRST}) AS first_counts,
    max(count) FILTER (${FIRST}) AS first_count, max(st) FILTER (${FIRST}) AS first_start,
    bool_or(temporality = 2) FILTER (${FIRST}) AS first_cumulative, max(t) AS last_time,
    any_value(counts) FILTER (${LAST}) AS last_counts, max(count) FILTER (${LAST}) AS last_count,
    max(st) FILTER (${LAST}) AS last_start
  FROM contributed GROUP BY stream_key, bounds, bucket)
SELECT ${level.seconds} AS level_seconds, h.stream_key, n.name, n.service, n.symbol, n.attributes, h.bounds,
  h.bucket, h.points, h.first_time, h.first_counts, h.first_count, h.first_start, h.first_cumulative,
  h.last_time, h.last_counts, h.last_count, h.last_start, r.rest_counts
FROM heads h JOIN names n USING (stream_key)
  LEFT JOIN rest r ON r.stream_key = h.stream_key AND r.bounds = h.bounds AND r.bucket = h.bucket`;

/** Aggregates trades per symbol, venue and bucket into `rollup_trades` rows (the candle of each). */
export function tradeRollupSelect(level: RollupLevel, source: PointSource): string {
  const bucket = `time_bucket(${widthSql(level)}, t.ts)`;
  const from =
    'raw' in source
      ? `main.trading_trades t SEMI JOIN temp.rollup_keys k
  ON t.symbol = k.symbol AND t.venue = k.venue AND ${bucket} = k.bucket
WHERE ${keyWindow(level, 't.ts', source.raw)}`
      : `temp.${stepTable('rollup_pending_trades')} t`;
  return `SELECT ${level.seconds} AS level_seconds, t.symbol, t.venue, ${bucket} AS bucket,
  arg_min(t.price, t.ts) AS open, max(t.price) AS high, min(t.price) AS low, arg_max(t.price, t.ts) AS close,
  min(t.ts) AS first_ts, max(t.ts) AS last_ts, sum(t.quantity) AS volume, sum(t.price * t.quantity) AS notional,
  count(*) AS trades
FROM ${from}
GROUP BY t.symbol, t.venue, bucket`;
}

/** `a - b` element by element (lists of the same length). */
export const listMinus = (a: string, b: string) =>
  `list_transform(generate_series(1, len(${a})), k -> ${a}[k] - ${b}[k])`;

/** `a + b` element by element, a NULL list counting as none. */
export const listPlus = (a: string, b: string) =>
  `CASE WHEN ${a} IS NULL THEN ${b} WHEN ${b} IS NULL THEN ${a}
    ELSE list_transform(generate_series(1, len(${a})), k -> ${a}[k] + ${b}[k]) END`;

/**
 * Marks every stored bucket of `level` dirty (a level added to a database that holds data, or a rebuild), within
 * `[from, to)` when given (`?` parameters, as TIMESTAMP text, in the order of `params`).
 */
export function markStoredSql(
  level: RollupLevel,
  range: { from?: string; to?: string },
): { sql: string[]; params: string[][] } {
  const where: string[] = [];
  const params: string[] = [];
  if (range.from !== undefined) {
    where.push('ts >= ?::TIMESTAMP');
    params.push(range.from);
  }
  if (range.to !== undefined) {
    where.push('ts < ?::TIMESTAMP');
    params.push(range.to);
  }
  const filter = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  const bucket = `time_bucket(${widthSql(level)}, ts)`;
  return {
    sql: [
      `INSERT INTO main.rollup_dirty SELECT DISTINCT ${DirtySource.Metric}, series_id, NULL, NULL, ${bucket}, ${level.seconds}
FROM main.metric_points${filter}`,
      `INSERT INTO main.rollup_dirty SELECT DISTINCT ${DirtySource.Histogram}, series_id, NULL, NULL, ${bucket}, ${level.seconds}
FROM main.histogram_points${filter}`,
      `INSERT INTO main.rollup_dirty SELECT DISTINCT ${DirtySource.Trade}, 0, symbol, venue, ${bucket}, ${level.seconds}
FROM main.trading_trades${filter}`,
    ],
    params: [params, params, params],
  };
}

/**
 * Whether any bucket is dirty or pending (one row, `n` 0 or 1): with none, rollup rows alone answer exactly.
 * @example const clean = Number((await c.runAndReadAll(ANY_DIRTY_SQL)).getRows()[0]?.[0]) === 0;
 */
export const ANY_DIRTY_SQL = `SELECT count(*)::INTEGER AS n FROM (${[ROLLUP_DIRTY, ...ROLLUP_PENDING_TABLES]
  .map((t) => `(SELECT 1 FROM main.${t.name} LIMIT 1)`)
  .join(' UNION ALL ')} LIMIT 1)`;
