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

/** Parts of the `rows` CTE of a routed query, each a SELECT with the same columns. */
interface RowsParts {
  /** The (key columns, `bucket`) of the level's dirty and pending buckets. */
  readonly dirty: Fragment;
  /** The key columns a level row is matched to a dirty bucket by (`USING`). */
  readonly keys: string;
  /** The level rows of the route's span. */
  readonly rolled: Fragment;
  /** The raw rows of the parts of the range the span leaves out. */
  readonly edges: readonly Fragment[];
  /** The raw rows of the range in dirty buckets (SEMI JOIN `dirty k`). */
  readonly dirtyRaw: Fragment;
}

/**
 * CTEs `rows` (and `dirty`) of a routed query. With `clean` (nothing dirty or pending: the executor checks), the
 * level rows of the span and the raw edges, nothing else; otherwise the level rows of clean buckets, the edges and
 * the raw rows of dirty buckets.
 */
function rowsCtes(parts: RowsParts, clean: boolean): Fragment {
  const union = (fragments: readonly Fragment[]) => fragments.map((f) => f.sql).join('\n  UNION ALL\n  ');
  if (clean) {
    const all = [parts.rolled, ...parts.edges];
    return { sql: `rows AS (\n  ${union(all)})`, params: all.flatMap((f) => f.params) };
  }
  const rolled = {
    sql: `${parts.rolled.sql}\n  ANTI JOIN dirty k USING (${parts.keys})`,
    params: parts.rolled.params,
  };
  const all = [rolled, ...parts.edges, parts.dirtyRaw];
  return {
    sql: `dirty AS (\n  ${parts.dirty.sql}),\nrows AS (\n  ${union(all)})`,
    params: [...parts.dirty.params, ...all.flatMap((f) => f.params)],
  };
}

const fragment = (sql: string, ...params: (readonly SqlParam[])[]): Fragment => ({
  sql,
  params: params.flat(),
});

/**
 * CTEs `rows` (and `dirty`) for a metric query answered along `route`: per stream (`stream_key`) and group `g`,
 * the rollup buckets of the span and every raw point of the range outside it (or, unless `clean`, in a dirty or
 * pending bucket), each as a rollup row (`ts` its bucket or point time). `group` is the grouping expression.
 */
function streamRollupRows(
  spec: StreamRollupSpec,
  filter: MetricFilter,
  route: RollupRoute,
  group: Fragment,
  clean: boolean,
): Fragment {
  const series = seriesWhere(filter);
  const seriesOf = `(SELECT * FROM metric_series${series.toSql()}) s`;
  const rolled = routeSpan(
    seriesWhere(filter).add(`level_seconds = ${route.level.seconds}`),
    route,
    'bucket',
  );
  const streamOfS = STREAM_KEY_SQL.replaceAll(/\b(name|service|symbol|attributes)\b/g, 's.$1');
  const dirtyPoints = dirtyClause(addRange(seriesWhere(filter), filter), route);
  const rawRows = (from: string, where: WhereClause, tail = '') =>
    fragment(
      `SELECT stream_key, ${group.sql} AS g, ts, ${spec.pointAsRow}
  FROM (SELECT *, ${STREAM_KEY_SQL} AS stream_key FROM ${from}${where.toSql()}) t${tail}`,
      group.params,
      where.params,
    );
  return rowsCtes(
    {
      dirty: fragment(
        `SELECT DISTINCT ${streamOfS} AS stream_key, ${dirtyBuckets(route)} AS bucket
  FROM rollup_dirty d JOIN ${seriesOf} USING (series_id) WHERE d.source = ${spec.source}
  UNION
  SELECT ${streamOfS} AS stream_key, time_bucket(${widthSql(route.level)}, d.ts) AS bucket
  FROM ${spec.pending} d JOIN ${seriesOf} USING (series_id)`,
        series.params,
        series.params,
      ),
      keys: 'stream_key, bucket',
      rolled: fragment(
        `SELECT stream_key, ${group.sql} AS g, bucket AS ts, ${spec.columns}
  FROM (SELECT * FROM ${spec.table}${rolled.toSql()}) r`,
        group.params,
        rolled.params,
      ),
      edges: edgeRanges(filter, route).map((r) => rawRows(spec.view, addRange(seriesWhere(filter), r))),
      dirtyRaw: rawRows(
        spec.view,
        dirtyPoints,
        `\n  SEMI JOIN dirty k ON t.stream_key = k.stream_key AND time_bucket(${widthSql(route.level)}, t.ts) = k.bucket`,
      ),
    },
    clean,
  );
}

/**
 * CTEs `rows` (and `dirty`) for a scalar metric query answered along `route` (see `rollup_metrics` for the columns).
 * @example const { sql, params } = metricRollupRows(filter, route, groupExpression(grouping), false);
 */
export function metricRollupRows(
  filter: MetricFilter,
  route: RollupRoute,
  group: Fragment,
  clean: boolean,
): Fragment {
  return streamRollupRows(SCALAR_ROWS, filter, route, group, clean);
}

/**
 * CTEs `rows` (and `dirty`) for an explicit-bucket histogram query answered along `route` (see `rollup_histograms`).
 * @example const { sql, params } = histogramRollupRows(filter, route, groupExpression(grouping), false);
 */
export function histogramRollupRows(
  filter: MetricFilter,
  route: RollupRoute,
  group: Fragment,
  clean: boolean,
): Fragment {
  return streamRollupRows(HISTOGRAM_ROWS, filter, route, group, clean);
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
 * CTEs `rows` (and `dirty`) for candles from trades answered along `route`: the rollup candles of each market
 * (symbol, venue) in the span and every raw trade of the range outside it (or, unless `clean`, in a dirty or
 * pending bucket).
 * @example const { sql, params } = tradeRollupRows({ symbol: 'BTC/USD' }, range, route, false);
 */
export function tradeRollupRows(
  market: { symbol?: string; venue?: string },
  range: TimeRange,
  route: RollupRoute,
  clean: boolean,
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
  const rawTrades = (where: WhereClause, tail = '') =>
    fragment(
      `SELECT symbol, venue, ts, ${TRADE_AS_ROW} FROM (SELECT * FROM trading_trades${where.toSql()}) t${tail}`,
      where.params,
    );
  return rowsCtes(
    {
      dirty: fragment(
        `SELECT DISTINCT symbol, venue, ${dirtyBuckets(route)} AS bucket FROM rollup_dirty d${dirtyWhere.toSql()}
  UNION
  SELECT symbol, venue, time_bucket(${widthSql(route.level)}, ts) AS bucket
  FROM ${ROLLUP_PENDING_TRADES.name}${pendingWhere.toSql()}`,
        dirtyWhere.params,
        pendingWhere.params,
      ),
      keys: 'symbol, venue, bucket',
      rolled: fragment(
        `SELECT symbol, venue, bucket AS ts, ${TRADE_ROW_COLUMNS} FROM (SELECT * FROM rollup_trades${rolled.toSql()}) r`,
        rolled.params,
      ),
      edges: edgeRanges(range, route).map((r) => rawTrades(addRange(marketWhere(), r))),
      dirtyRaw: rawTrades(
        dirtyClause(addRange(marketWhere(), range), route),
        ` SEMI JOIN dirty k
    ON t.symbol = k.symbol AND t.venue = k.venue AND time_bucket(${widthSql(route.level)}, t.ts) = k.bucket`,
      ),
    },
    clean,
  );
}
