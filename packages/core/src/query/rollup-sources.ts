import {
  DirtySource,
  ROLLUP_PENDING_HISTOGRAMS,
  ROLLUP_PENDING_METRICS,
  ROLLUP_PENDING_TRADES,
} from '../catalog/rollup-tables.ts';
import type { RollupRoute } from '../rollups/rollup-plan.ts';
import { STREAM_KEY_SQL, widthSql } from '../rollups/rollup-sql.ts';
import type { TimeRange } from '../time/index.ts';
import { WhereClause } from './builder-base.ts';
import type { SqlParam } from './compiled-query.ts';
import { type MetricFilter, seriesWhere } from './metric-filter.ts';
import { addTimeRange } from './time-range-clause.ts';

/** SQL text with its bound parameters, in order. */
export interface Fragment {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

/** The level buckets a `rollup_dirty` row `d` overlaps, one per row. */
const dirtyBuckets = (route: RollupRoute) =>
  `unnest(generate_series(time_bucket(${widthSql(route.level)}, d.bucket),
    d.bucket + to_seconds(d.width_seconds) - INTERVAL 1 microsecond, ${widthSql(route.level)}))`;

/** `column >= a AND column < b` for the route's rollup span (open ends left out). */
function routeSpan(where: WhereClause, route: RollupRoute, column: string): WhereClause {
  addTimeRange(where, route, column);
  return where;
}

/**
 * The parts of the range the rollup does not answer, each a plain time range (zone maps prune them): before the
 * route's span and after it; none when the range is aligned.
 */
function edgeRanges(range: TimeRange, route: RollupRoute): TimeRange[] {
  const edges: TimeRange[] = [];
  if (route.from !== undefined && route.from !== range.from) {
    edges.push({ ...(range.from === undefined ? {} : { from: range.from }), to: route.from });
  }
  if (route.to !== undefined && route.to !== range.to) {
    edges.push({ from: route.to, ...(range.to === undefined ? {} : { to: range.to }) });
  }
  return edges;
}

/** The range's raw rows inside the route's span whose level bucket is still dirty (time bounded by the dirty set). */
function dirtyClause(where: WhereClause, route: RollupRoute): WhereClause {
  routeSpan(where, route, 'ts');
  return where.add(
    `ts >= (SELECT min(bucket) FROM dirty) AND ts < (SELECT max(bucket) FROM dirty) + ${widthSql(route.level)}`,
  );
}

/** How the rows of one kind of stream rollup are read: its table, raw view, dirty source and columns. */
interface StreamRollupSpec {
  readonly table: string;
  /** The pending copies of its raw points (see `ROLLUP_PENDING_METRICS`). */
  readonly pending: string;
  readonly view: string;
  readonly source: number;
  /** The rollup row columns (after `stream_key`, `g`, `ts`). */
  readonly columns: string;
  /** The same columns computed from one raw point of the view. */
  readonly pointAsRow: string;
}

/** Scalar streams: a raw point is a rollup row of one point. */
const SCALAR_ROWS: StreamRollupSpec = {
  table: 'rollup_metrics',
  pending: ROLLUP_PENDING_METRICS.name,
  view: 'trading_metrics',
  source: DirtySource.Metric,
  columns: `count, sum, min, max, first_time, first_value, first_start, first_cumulative,
    last_time, last_value, last_start, increase_rest`,
  pointAsRow: `1::UBIGINT AS count, value AS sum, value AS min, value AS max,
    time_unix_nano AS first_time, value AS first_value, start_time_unix_nano AS first_start,
    temporality <> 1 AS first_cumulative, time_unix_nano AS last_time, value AS last_value,
    start_time_unix_nano AS last_start, CASE WHEN temporality = 1 THEN value ELSE 0 END AS increase_rest`,
};

/** Explicit-bucket histogram streams (one per set of bounds): a raw point is a rollup row of one point. */
const HISTOGRAM_ROWS: StreamRollupSpec = {
  table: 'rollup_histograms',
  pending: ROLLUP_PENDING_HISTOGRAMS.name,
  view: 'otel_histograms',
  source: DirtySource.Histogram,
  columns: `bounds, points, first_time, first_counts, first_count, first_start, first_cumulative,
    last_time, last_counts, last_count, last_start, rest_counts`,
  pointAsRow: `explicit_bounds AS bounds, 1::UBIGINT AS points, time_unix_nano AS first_time,
    bucket_counts::DOUBLE[] AS first_counts, count AS first_count, start_time_unix_nano AS first_start,
    temporality = 2 AS first_cumulative, time_unix_nano AS last_time, bucket_counts::DOUBLE[] AS last_counts,
    count AS last_count, start_time_unix_nano AS last_start,
    CASE WHEN temporality <> 2 THEN bucket_counts::DOUBLE[] END AS rest_counts`,
};

/**
 * CTEs `dirty` and `rows` for a metric query answered along `route`: `rows` holds, per stream (`stream_key`) and
 * group `g`, the clean rollup buckets of the span and every raw point of the range outside it or in a dirty bucket,
 * each as a rollup row (`ts` its bucket or point time). `group` is the grouping expression.
 */
function streamRollupRows(
  spec: StreamRollupSpec,
  filter: MetricFilter,
  route: RollupRoute,
  group: Fragment,
  dirtyRaw: boolean,
): Fragment {
  const series = seriesWhere(filter);
  const rolled = routeSpan(seriesWhere(filter), route, 'bucket');
  const range: TimeRange = filter;
  const edges = edgeRanges(range, route).map((r) => addRange(seriesWhere(filter), r));
  const dirtyPoints = dirtyClause(addRange(seriesWhere(filter), range), route);
  const streamOfS = STREAM_KEY_SQL.replaceAll(/\b(name|service|symbol|attributes)\b/g, 's.$1');
  const sql = `dirty AS (
  SELECT DISTINCT ${streamOfS} AS stream_key, ${dirtyBuckets(route)} AS bucket
  FROM rollup_dirty d JOIN (SELECT * FROM metric_series${series.toSql()}) s USING (series_id)
  WHERE d.source = ${spec.source}
  UNION
  SELECT ${streamOfS} AS stream_key, time_bucket(${widthSql(route.level)}, d.ts) AS bucket
  FROM ${spec.pending} d JOIN (SELECT * FROM metric_series${series.toSql()}) s USING (series_id)),
rows AS (
  SELECT stream_key, ${group.sql} AS g, bucket AS ts, ${spec.columns}
  FROM (SELECT * FROM ${spec.table} WHERE level_seconds = ${route.level.seconds}${rolled.clauses.map((c) => ` AND ${c}`).join('')}) r
  ANTI JOIN dirty k USING (stream_key, bucket)
${edges
  .map(
    (e) => `
  UNION ALL
  SELECT ${STREAM_KEY_SQL} AS stream_key, ${group.sql} AS g, ts, ${spec.pointAsRow}
  FROM ${spec.view}${e.toSql()}`,
  )
  .join('')}${
  dirtyRaw
    ? `
  UNION ALL
  SELECT stream_key, ${group.sql} AS g, ts, ${spec.pointAsRow}
  FROM (SELECT *, ${STREAM_KEY_SQL} AS stream_key FROM ${spec.view}${dirtyPoints.toSql()}) t
  SEMI JOIN dirty k ON t.stream_key = k.stream_key AND time_bucket(${widthSql(route.level)}, t.ts) = k.bucket`
    : ''
})`;
  return {
    sql,
    params: [
      ...series.params,
      ...series.params,
      ...group.params,
      ...rolled.params,
      ...edges.flatMap((e) => [...group.params, ...e.params]),
      ...(dirtyRaw ? [...group.params, ...dirtyPoints.params] : []),
    ],
  };
}

/**
 * CTEs `dirty` and `rows` for a scalar metric query answered along `route` (see `rollup_metrics` for the columns).
 * @example const { sql, params } = metricRollupRows(filter, route, groupExpression(grouping));
 */
export function metricRollupRows(
  filter: MetricFilter,
  route: RollupRoute,
  group: Fragment,
  dirtyRaw = true,
): Fragment {
  return streamRollupRows(SCALAR_ROWS, filter, route, group, dirtyRaw);
}

/**
 * CTEs `dirty` and `rows` for an explicit-bucket histogram query answered along `route` (see `rollup_histograms`).
 * @example const { sql, params } = histogramRollupRows(filter, route, groupExpression(grouping));
 */
export function histogramRollupRows(
  filter: MetricFilter,
  route: RollupRoute,
  group: Fragment,
  dirtyRaw = true,
): Fragment {
  return streamRollupRows(HISTOGRAM_ROWS, filter, route, group, dirtyRaw);
}

function addRange(where: WhereClause, range: TimeRange): WhereClause {
  addTimeRange(where, range);
  return where;
}

/** Columns of a trade as a rollup row of its market (one trade is its own candle). */
const TRADE_AS_ROW = `price AS open, price AS high, price AS low, price AS close, ts AS first_ts, ts AS last_ts,
    quantity AS volume, price * quantity AS notional, 1::UBIGINT AS trades`;
const TRADE_ROW_COLUMNS = 'open, high, low, close, first_ts, last_ts, volume, notional, trades';

/**
 * CTEs `dirty` and `rows` for candles from trades answered along `route`: the clean rollup candles of each
 * market (symbol, venue) in the span and every raw trade of the range outside it or in a dirty bucket.
 * @example const { sql, params } = tradeRollupRows({ symbol: 'BTC/USD' }, range, route);
 */
export function tradeRollupRows(
  market: { symbol?: string; venue?: string },
  range: TimeRange,
  route: RollupRoute,
  dirtyRaw = true,
): Fragment {
  const marketWhere = () => {
    const w = new WhereClause();
    if (market.symbol !== undefined) w.add('symbol = ?', market.symbol);
    if (market.venue !== undefined) w.add('venue = ?', market.venue);
    return w;
  };
  const dirtyWhere = marketWhere().add(`source = ${DirtySource.Trade}`);
  const pendingWhere = marketWhere();
  const rolled = routeSpan(marketWhere().add(`level_seconds = ${route.level.seconds}`), route, 'bucket');
  const edges = edgeRanges(range, route).map((r) => addRange(marketWhere(), r));
  const dirtyTrades = dirtyClause(addRange(marketWhere(), range), route);
  const sql = `dirty AS (
  SELECT DISTINCT symbol, venue, ${dirtyBuckets(route)} AS bucket FROM rollup_dirty d${dirtyWhere.toSql()}
  UNION
  SELECT symbol, venue, time_bucket(${widthSql(route.level)}, ts) AS bucket
  FROM ${ROLLUP_PENDING_TRADES.name}${pendingWhere.toSql()}),
rows AS (
  SELECT symbol, venue, bucket AS ts, ${TRADE_ROW_COLUMNS}
  FROM (SELECT * FROM rollup_trades${rolled.toSql()}) r ANTI JOIN dirty k USING (symbol, venue, bucket)
${edges
  .map(
    (e) => `
  UNION ALL
  SELECT symbol, venue, ts, ${TRADE_AS_ROW} FROM trading_trades${e.toSql()}`,
  )
  .join('')}${
  dirtyRaw
    ? `
  UNION ALL
  SELECT symbol, venue, ts, ${TRADE_AS_ROW}
  FROM (SELECT * FROM trading_trades${dirtyTrades.toSql()}) t SEMI JOIN dirty k
    ON t.symbol = k.symbol AND t.venue = k.venue AND time_bucket(${widthSql(route.level)}, t.ts) = k.bucket`
    : ''
})`;
  return {
    sql,
    params: [
      ...dirtyWhere.params,
      ...pendingWhere.params,
      ...rolled.params,
      ...edges.flatMap((e) => e.params),
      ...(dirtyRaw ? dirtyTrades.params : []),
    ],
  };
}
