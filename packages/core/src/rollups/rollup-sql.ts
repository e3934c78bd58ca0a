import { DirtySource } from '../catalog/rollup-tables.ts';
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

/** The buckets the keys span, on `r.bucket`. */
const keySpan = (span: KeySpan) => `r.bucket BETWEEN TIMESTAMP '${span.first}' AND TIMESTAMP '${span.last}'`;

/** Reads the key span (undefined when there are no keys). */
export const KEY_SPAN_SQL =
  'SELECT min(bucket)::VARCHAR AS first, max(bucket)::VARCHAR AS last FROM temp.rollup_keys';

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
WHERE k.bucket < coalesce((SELECT value FROM main.rollup_state WHERE key = 'raw_horizon'), '-infinity'::TIMESTAMP)
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
 * Re-aggregates the scalar buckets of `temp.rollup_keys` from raw points (all series of each stream, ordered by
 * time within the bucket). `increase_rest` adds every point's counter contribution whose previous point is in the
 * same bucket (delta points: their value; a fall or a new start time: the whole value; else the rise), and a
 * delta first point's value; a cumulative first point's contribution is left to the reader, who knows the
 * bucket before (see `docs/rollups.md`).
 */
export const insertMetricRollupSql = (level: RollupLevel, span: KeySpan) => `INSERT INTO main.rollup_metrics
WITH ${KEYED_SERIES},
pts AS (
  SELECT se.stream_key, se.name, se.service, se.symbol, se.attributes, time_bucket(${widthSql(level)}, p.ts) AS bucket,
    p.time_unix_nano AS t, p.value, p.temporality, p.start_time_unix_nano AS st
  FROM main.metric_points p JOIN series se USING (series_id)
  WHERE ${keyWindow(level, 'p.ts', span)}),
kept AS (SELECT p.* FROM pts p SEMI JOIN temp.rollup_keys k ON p.stream_key = k.stream_key AND p.bucket = k.bucket),
ordered AS (
  SELECT *, lag(value) OVER w AS prev, lag(st) OVER w AS prev_st, row_number() OVER w AS rn,
    count(*) OVER (PARTITION BY stream_key, bucket) AS n
  FROM kept WINDOW w AS (PARTITION BY stream_key, bucket ORDER BY t))
SELECT ${level.seconds}, stream_key, any_value(name), any_value(service), any_value(symbol), any_value(attributes),
  bucket, count(*), sum(value), min(value), max(value),
  max(t) FILTER (WHERE rn = 1), max(value) FILTER (WHERE rn = 1), max(st) FILTER (WHERE rn = 1),
  bool_or(temporality <> 1) FILTER (WHERE rn = 1),
  max(t) FILTER (WHERE rn = n), max(value) FILTER (WHERE rn = n), max(st) FILTER (WHERE rn = n),
  coalesce(sum(CASE WHEN temporality = 1 THEN value WHEN prev IS NULL THEN 0
                    WHEN value < prev OR st IS DISTINCT FROM prev_st THEN value ELSE value - prev END), 0)
FROM ordered GROUP BY stream_key, bucket`;

/** The series of the streams in `temp.rollup_keys`, with their stream key and fields. */
const KEYED_SERIES = `series AS (
  SELECT series_id, ${STREAM_KEY_SQL} AS stream_key, name, service, symbol, attributes FROM main.metric_series
  WHERE ${STREAM_KEY_SQL} IN (SELECT stream_key FROM temp.rollup_keys))`;

/**
 * Re-aggregates the explicit-histogram buckets of `temp.rollup_keys` from raw points, per stream and set of
 * bounds: each point's contribution as the raw quantile query counts it (delta and unspecified points their
 * counts; cumulative ones their rise over the previous point of the bucket, or all of it after a fall of `count`
 * or a new start time) summed bucket by bucket into `rest_counts`, a cumulative first point's left to the reader.
 */
export const insertHistogramRollupSql = (
  level: RollupLevel,
  span: KeySpan,
) => `INSERT INTO main.rollup_histograms
WITH ${KEYED_SERIES},
pts AS (
  SELECT se.stream_key, se.name, se.service, se.symbol, se.attributes, p.explicit_bounds AS bounds,
    time_bucket(${widthSql(level)}, p.ts) AS bucket, p.time_unix_nano AS t, p.bucket_counts::DOUBLE[] AS counts,
    p.count, p.temporality, p.start_time_unix_nano AS st
  FROM main.histogram_points p JOIN series se USING (series_id)
  WHERE ${keyWindow(level, 'p.ts', span)}),
kept AS (SELECT p.* FROM pts p SEMI JOIN temp.rollup_keys k ON p.stream_key = k.stream_key AND p.bucket = k.bucket),
ordered AS (
  SELECT *, lag(counts) OVER w AS prev_counts, lag(count) OVER w AS prev_count, lag(st) OVER w AS prev_st,
    row_number() OVER w AS rn, count(*) OVER (PARTITION BY stream_key, bounds, bucket) AS n
  FROM kept WINDOW w AS (PARTITION BY stream_key, bounds, bucket ORDER BY t)),
contributed AS (
  SELECT *, CASE WHEN temporality <> 2 THEN counts WHEN prev_counts IS NULL THEN NULL
    WHEN count < prev_count OR st IS DISTINCT FROM prev_st THEN counts
    ELSE list_transform(generate_series(1, len(counts)), k -> counts[k] - prev_counts[k]) END AS contrib
  FROM ordered),
cells AS (
  SELECT stream_key, bounds, bucket, i, sum(c) AS c
  FROM (SELECT stream_key, bounds, bucket, unnest(contrib) AS c, generate_subscripts(contrib, 1) AS i
        FROM contributed WHERE contrib IS NOT NULL)
  GROUP BY ALL),
rest AS (SELECT stream_key, bounds, bucket, list(c ORDER BY i) AS rest_counts FROM cells GROUP BY ALL),
heads AS (
  SELECT stream_key, bounds, bucket, any_value(name) AS name, any_value(service) AS service,
    any_value(symbol) AS symbol, any_value(attributes) AS attributes, count(*) AS points,
    max(t) FILTER (WHERE rn = 1) AS first_time, any_value(counts) FILTER (WHERE rn = 1) AS first_counts,
    max(count) FILTER (WHERE rn = 1) AS first_count, max(st) FILTER (WHERE rn = 1) AS first_start,
    bool_or(temporality = 2) FILTER (WHERE rn = 1) AS first_cumulative,
    max(t) FILTER (WHERE rn = n) AS last_time, any_value(counts) FILTER (WHERE rn = n) AS last_counts,
    max(count) FILTER (WHERE rn = n) AS last_count, max(st) FILTER (WHERE rn = n) AS last_start
  FROM contributed GROUP BY stream_key, bounds, bucket)
SELECT ${level.seconds}, h.stream_key, h.name, h.service, h.symbol, h.attributes, h.bounds, h.bucket, h.points,
  h.first_time, h.first_counts, h.first_count, h.first_start, h.first_cumulative,
  h.last_time, h.last_counts, h.last_count, h.last_start, r.rest_counts
FROM heads h LEFT JOIN rest r ON r.stream_key = h.stream_key AND r.bounds = h.bounds AND r.bucket = h.bucket`;

/** Re-aggregates the trade buckets of `temp.rollup_keys` from raw trades. */
export const insertTradeRollupSql = (level: RollupLevel, span: KeySpan) => `INSERT INTO main.rollup_trades
SELECT ${level.seconds}, t.symbol, t.venue, time_bucket(${widthSql(level)}, t.ts) AS bucket,
  arg_min(t.price, t.ts), max(t.price), min(t.price), arg_max(t.price, t.ts), min(t.ts), max(t.ts),
  sum(t.quantity), sum(t.price * t.quantity), count(*)
FROM main.trading_trades t SEMI JOIN temp.rollup_keys k
  ON t.symbol = k.symbol AND t.venue = k.venue AND time_bucket(${widthSql(level)}, t.ts) = k.bucket
WHERE ${keyWindow(level, 't.ts', span)}
GROUP BY t.symbol, t.venue, bucket`;

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
