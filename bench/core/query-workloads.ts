import { aggregateMetrics, type CompiledQuery, candles, selectMetrics } from '@duckside/core';
import { DATA_DAYS, DATA_START, QUERY_DAY } from './trading-data.ts';

/** One query workload, written three ways: Duckside's builder, raw DuckDB SQL and PostgreSQL SQL. */
export interface QueryWorkload {
  /** Key in the results (`core.query.<id>.*`). */
  id: string;
  /** What the query does, for the report. */
  title: string;
  /** The builder call, or undefined when the builder has no equivalent (reported as n/a). */
  api?: () => { compile(): CompiledQuery<object> };
  /** Hand-written DuckDB SQL (what a DuckDB user would write), literals inline. */
  duckdb: string;
  /** The same query for PostgreSQL 15 (no extensions), literals inline. */
  postgres: string;
  /** Columns whose values must agree row by row between the engines (checks the three run the same workload). */
  check: string[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const DAY_FROM = iso(QUERY_DAY);
const DAY_TO = iso(QUERY_DAY + 86_400_000);
const ALL_FROM = iso(DATA_START);
const ALL_TO = iso(DATA_START + DATA_DAYS * 86_400_000);
const dayFilter = (from: string, to: string) => `ts >= TIMESTAMP '${from}' AND ts < TIMESTAMP '${to}'`;
const pgRange = (from: string, to: string) => `ts >= '${from}'::timestamp AND ts < '${to}'::timestamp`;

/** The query workloads of the core benchmark, in report order. */
export const QUERY_WORKLOADS: readonly QueryWorkload[] = [
  {
    id: 'filter_limit',
    title: 'Filter + limit: newest 100 `order_latency_ms` points of BTC/USD in one day',
    api: () =>
      selectMetrics().name('order_latency_ms').symbol('BTC/USD').between(DAY_FROM, DAY_TO).limit(100),
    duckdb: `SELECT ts, time_unix_nano, name, value, symbol, service, attributes, kind FROM trading_metrics
WHERE name = 'order_latency_ms' AND symbol = 'BTC/USD' AND ${dayFilter(DAY_FROM, DAY_TO)} ORDER BY ts DESC LIMIT 100`,
    postgres: `SELECT ts, time_unix_nano, name, value, symbol, service, attributes, kind FROM trading_metrics
WHERE name = 'order_latency_ms' AND symbol = 'BTC/USD' AND ${pgRange(DAY_FROM, DAY_TO)} ORDER BY ts DESC LIMIT 100`,
    check: ['value'],
  },
  {
    id: 'bucket_one',
    title: '1-minute average of one series (`order_latency_ms`, BTC/USD) over one day',
    api: () =>
      aggregateMetrics('order_latency_ms')
        .symbol('BTC/USD')
        .between(DAY_FROM, DAY_TO)
        .interval('1m')
        .fn('avg'),
    duckdb: `SELECT time_bucket(INTERVAL 1 minute, ts) AS bucket, avg(value) AS value, count(*) AS samples
FROM trading_metrics WHERE name = 'order_latency_ms' AND symbol = 'BTC/USD' AND ${dayFilter(DAY_FROM, DAY_TO)}
GROUP BY 1 ORDER BY 1`,
    postgres: `SELECT date_trunc('minute', ts) AS bucket, avg(value) AS value, count(*) AS samples
FROM trading_metrics WHERE name = 'order_latency_ms' AND symbol = 'BTC/USD' AND ${pgRange(DAY_FROM, DAY_TO)}
GROUP BY 1 ORDER BY 1`,
    check: ['value', 'samples'],
  },
  {
    id: 'bucket_all',
    title: '1-minute average of `order_latency_ms` for every symbol over one day',
    api: () =>
      aggregateMetrics('order_latency_ms').groupBy({ by: 'symbol' }).between(DAY_FROM, DAY_TO).interval('1m'),
    duckdb: `SELECT time_bucket(INTERVAL 1 minute, ts) AS bucket, symbol, avg(value) AS value, count(*) AS samples
FROM trading_metrics WHERE name = 'order_latency_ms' AND ${dayFilter(DAY_FROM, DAY_TO)}
GROUP BY 1, 2 ORDER BY 1, 2`,
    postgres: `SELECT date_trunc('minute', ts) AS bucket, symbol, avg(value) AS value, count(*) AS samples
FROM trading_metrics WHERE name = 'order_latency_ms' AND ${pgRange(DAY_FROM, DAY_TO)}
GROUP BY 1, 2 ORDER BY 1, 2`,
    check: ['value', 'samples'],
  },
  {
    id: 'ohlcv_one',
    title: 'OHLCV 1-minute candles of BTC/USD from `mid_price` over one day',
    api: () => candles('BTC/USD').fromMetric('mid_price').interval('1m').between(DAY_FROM, DAY_TO),
    duckdb: `SELECT time_bucket(INTERVAL 1 minute, ts) AS ts, arg_min(value, time_unix_nano) AS open, max(value) AS high,
  min(value) AS low, arg_max(value, time_unix_nano) AS close, count(*) AS volume
FROM trading_metrics WHERE name = 'mid_price' AND symbol = 'BTC/USD' AND ${dayFilter(DAY_FROM, DAY_TO)}
GROUP BY 1 ORDER BY 1`,
    postgres: `SELECT date_trunc('minute', ts) AS ts, (array_agg(value ORDER BY time_unix_nano))[1] AS open,
  max(value) AS high, min(value) AS low, (array_agg(value ORDER BY time_unix_nano DESC))[1] AS close, count(*) AS volume
FROM trading_metrics WHERE name = 'mid_price' AND symbol = 'BTC/USD' AND ${pgRange(DAY_FROM, DAY_TO)}
GROUP BY 1 ORDER BY 1`,
    check: ['open', 'high', 'low', 'close'],
  },
  {
    id: 'ohlcv_all',
    title: 'OHLCV 1-hour candles of every symbol from `mid_price` over all 7 days',
    api: () => candles().fromMetric('mid_price').interval('1h').between(ALL_FROM, ALL_TO),
    duckdb: `SELECT time_bucket(INTERVAL 1 hour, ts) AS ts, symbol, arg_min(value, time_unix_nano) AS open,
  max(value) AS high, min(value) AS low, arg_max(value, time_unix_nano) AS close, count(*) AS volume
FROM trading_metrics WHERE name = 'mid_price' AND ${dayFilter(ALL_FROM, ALL_TO)}
GROUP BY 1, 2 ORDER BY 1, 2`,
    postgres: `SELECT date_trunc('hour', ts) AS ts, symbol, (array_agg(value ORDER BY time_unix_nano))[1] AS open,
  max(value) AS high, min(value) AS low, (array_agg(value ORDER BY time_unix_nano DESC))[1] AS close, count(*) AS volume
FROM trading_metrics WHERE name = 'mid_price' AND ${pgRange(ALL_FROM, ALL_TO)}
GROUP BY 1, 2 ORDER BY 1, 2`,
    check: ['open', 'high', 'low', 'close'],
  },
  {
    id: 'p99_symbol',
    title: 'p99 of `order_latency_ms` per symbol and hour over all 7 days',
    api: () =>
      aggregateMetrics('order_latency_ms')
        .groupBy({ by: 'symbol' })
        .between(ALL_FROM, ALL_TO)
        .interval('1h')
        .fn('p99'),
    duckdb: `SELECT time_bucket(INTERVAL 1 hour, ts) AS bucket, symbol, quantile_cont(value, 0.99) AS value, count(*) AS samples
FROM trading_metrics WHERE name = 'order_latency_ms' AND ${dayFilter(ALL_FROM, ALL_TO)}
GROUP BY 1, 2 ORDER BY 1, 2`,
    postgres: `SELECT date_trunc('hour', ts) AS bucket, symbol, percentile_cont(0.99) WITHIN GROUP (ORDER BY value) AS value,
  count(*) AS samples
FROM trading_metrics WHERE name = 'order_latency_ms' AND ${pgRange(ALL_FROM, ALL_TO)}
GROUP BY 1, 2 ORDER BY 1, 2`,
    check: ['value', 'samples'],
  },
  {
    id: 'pct_by_name',
    title: 'p50 and p99 of every metric (by name) over the whole table',
    duckdb: `SELECT name, quantile_cont(value, 0.5) AS p50, quantile_cont(value, 0.99) AS p99, count(*) AS samples
FROM trading_metrics GROUP BY name ORDER BY name`,
    postgres: `SELECT name, percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS p50,
  percentile_cont(0.99) WITHIN GROUP (ORDER BY value) AS p99, count(*) AS samples
FROM trading_metrics GROUP BY name ORDER BY name`,
    check: ['p50', 'p99', 'samples'],
  },
];
