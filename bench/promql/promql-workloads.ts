import { DATA_DAYS, DATA_START, QUERY_DAY } from '../core/trading-data.ts';

/** One HTTP call both Duckside and Prometheus answer: a Prometheus API path and its parameters. */
export interface PromqlWorkload {
  id: string;
  /** What the report calls it. */
  title: string;
  path: string;
  params: Record<string, string>;
  /** Days of data the call spans. */
  days: number;
  /** Duckside must be at least this many times faster than Prometheus. */
  speedup: number;
}

const DAY_MS = 86_400_000;
const seconds = (ms: number) => String(ms / 1000);
const oneDay = { start: seconds(QUERY_DAY), end: seconds(QUERY_DAY + DAY_MS) };
const week = { start: seconds(DATA_START + 3_600_000), end: seconds(DATA_START + DATA_DAYS * DAY_MS) };
const ONE_SERIES =
  'orders_submitted_total{symbol="BTC/USD",exchange="binance",strategy="market-making",order_type="limit"}';

/**
 * The calls of the benchmark: rates over one day at a 60 s step (one series, and summed by symbol), a
 * p99 from classic buckets over one day, `avg_over_time` over the seven days at a 1 h step, and the series and
 * label-values calls Grafana makes for a day's dashboard.
 */
export const PROMQL_WORKLOADS: readonly PromqlWorkload[] = [
  {
    id: 'rate_one_series',
    title: 'rate(x_total[5m]), one series, 1 day @ 60 s',
    path: '/api/v1/query_range',
    params: { query: `rate(${ONE_SERIES}[5m])`, ...oneDay, step: '60' },
    days: 1,
    speedup: 1,
  },
  {
    id: 'rate_sum_by_symbol',
    title: 'sum by (symbol) (rate(x_total[5m])), 1 day @ 60 s',
    path: '/api/v1/query_range',
    params: { query: 'sum by (symbol) (rate(orders_submitted_total[5m]))', ...oneDay, step: '60' },
    days: 1,
    speedup: 1,
  },
  {
    id: 'histogram_p99',
    title: 'histogram_quantile(0.99, sum by (le, symbol) (rate(x_bucket[5m]))), 1 day @ 60 s',
    path: '/api/v1/query_range',
    params: {
      query:
        'histogram_quantile(0.99, sum by (le, symbol) (rate(order_ack_latency_milliseconds_bucket[5m])))',
      ...oneDay,
      step: '60',
    },
    days: 1,
    speedup: 1,
  },
  {
    id: 'avg_over_time_7d',
    title: 'avg_over_time(g[1h]), 7 days @ 1 h',
    path: '/api/v1/query_range',
    params: { query: 'avg_over_time(mid_price_USD[1h])', ...week, step: '3600' },
    days: DATA_DAYS,
    speedup: 3,
  },
  {
    id: 'series',
    title: '/api/v1/series?match[]=orders_submitted_total, 1 day',
    path: '/api/v1/series',
    params: { 'match[]': 'orders_submitted_total', ...oneDay },
    days: 1,
    speedup: 1,
  },
  {
    id: 'label_values',
    title: '/api/v1/label/symbol/values, 1 day',
    path: '/api/v1/label/symbol/values',
    params: oneDay,
    days: 1,
    speedup: 1,
  },
];
