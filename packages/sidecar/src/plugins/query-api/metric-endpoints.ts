import {
  AGGREGATIONS,
  aggregateMetrics,
  aggregateSeries,
  type BucketWindow,
  histogramQuantiles,
  type MetricAggregateBuilder,
  selectMetrics,
  ValidationError,
} from '@duckside/core';
import type { QueryParams } from '../../http/query-params.ts';
import { grouping, list, params, type QueryEndpointDeps, RANGE_PARAMS, ranged } from './endpoint-helpers.ts';
import { metricJson } from './row-formats.ts';

/**
 * `GET /api/v1/metrics` (points), `GET /api/v1/aggregate` (time buckets with avg|sum|min|max|count|first|last|
 * p50|p90|p95|p99|rate|increase, grouped by symbol, service or a label) and `GET /api/v1/histograms` (quantiles of
 * OTLP histogram metrics).
 * @example registerMetricEndpoints({ app, queries, maxBuckets: 100_000 });
 */
export function registerMetricEndpoints({ app, queries, maxBuckets }: QueryEndpointDeps): void {
  app.get('/api/v1/metrics', async (c) => {
    const p = params(c, ['name', 'symbol', 'service', 'order', ...RANGE_PARAMS], { labels: true });
    let q = ranged(selectMetrics(), p);
    const name = p.string('name');
    const symbol = p.string('symbol');
    const service = p.string('service');
    const order = p.choice('order', ['asc', 'desc'] as const);
    if (name !== undefined) q = q.name(name);
    if (symbol !== undefined) q = q.symbol(symbol);
    if (service !== undefined) q = q.service(service);
    if (order !== undefined) q = q.order(order);
    for (const [key, value] of Object.entries(p.labels)) q = q.label(key, value);
    return list(c, await queries.run('metrics', q), metricJson);
  });

  app.get('/api/v1/aggregate', async (c) => {
    const p = params(c, ['name', 'interval', 'fn', 'groupBy', 'symbol', 'fill', 'window', ...RANGE_PARAMS], {
      labels: true,
    });
    let q = ranged(seriesAggregate(p.required('name'), p), p)
      .groupBy(grouping(p.string('groupBy')))
      .maxBuckets(maxBuckets);
    const interval = p.string('interval');
    const fn = p.choice('fn', AGGREGATIONS);
    const symbol = p.string('symbol');
    if (interval !== undefined) q = q.interval(interval);
    if (fn !== undefined) q = q.fn(fn);
    if (symbol !== undefined) q = q.symbol(symbol);
    for (const [key, value] of Object.entries(p.labels)) q = q.label(key, value);
    return list(c, await queries.run('aggregate', q), (r) => r);
  });

  app.get('/api/v1/histograms', async (c) => {
    const p = params(c, ['name', 'interval', 'quantiles', 'groupBy', 'symbol', ...RANGE_PARAMS]);
    let q = ranged(histogramQuantiles(p.required('name')), p).groupBy(grouping(p.string('groupBy')));
    const interval = p.string('interval');
    const quantiles = p.string('quantiles');
    const symbol = p.string('symbol');
    if (interval !== undefined) q = q.interval(interval);
    if (quantiles !== undefined) q = q.quantiles(parseQuantiles(quantiles));
    if (symbol !== undefined) q = q.symbol(symbol);
    return list(c, await queries.run('histograms', q.maxBuckets(maxBuckets)), (r) => r);
  });
}

/**
 * `aggregateMetrics`, or with `fill=` or `window=` its gap-filled, windowed form (whose rows add `filled` and
 * `windowed`).
 */
function seriesAggregate(name: string, p: QueryParams): MetricAggregateBuilder {
  const fill = p.string('fill');
  const window = p.string('window');
  if (fill === undefined && window === undefined) return aggregateMetrics(name);
  let q = aggregateSeries(name);
  if (fill !== undefined) q = q.fill(fill);
  if (window !== undefined) q = q.window(parseWindow(window));
  return q;
}

/** `moving_avg:<n>`, `cumsum`, `drawdown` or `drawdown:cumulative`. */
function parseWindow(text: string): BucketWindow {
  const [kind, arg] = text.split(':');
  if (kind === 'moving_avg' && arg !== undefined && /^\d{1,5}$/.test(arg)) {
    return { kind, buckets: Number(arg) };
  }
  if (kind === 'cumsum' && arg === undefined) return { kind };
  if (kind === 'drawdown' && (arg === undefined || arg === 'cumulative')) {
    return { kind, cumulative: arg === 'cumulative' };
  }
  throw new ValidationError('window', 'must be moving_avg:<n>, cumsum, drawdown or drawdown:cumulative');
}

function parseQuantiles(text: string): number[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.length > 20 || items.some((s) => !/^(0(\.\d+)?|1(\.0+)?)$/.test(s))) {
    throw new ValidationError('quantiles', 'must be 1..20 comma-separated numbers between 0 and 1');
  }
  return items.map(Number);
}
