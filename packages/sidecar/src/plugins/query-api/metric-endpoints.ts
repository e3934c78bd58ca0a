import {
  AGGREGATIONS,
  aggregateMetrics,
  aggregateSeries,
  type BucketWindow,
  type MetricAggregateBuilder,
  selectMetrics,
  selectPoints,
  ValidationError,
} from '@duckside/core';
import { jsonResponse } from '../../http/json-response.ts';
import type { QueryParams } from '../../http/query-params.ts';
import {
  grouping,
  list,
  params,
  pointFilters,
  type QueryEndpointDeps,
  RANGE_PARAMS,
  ranged,
} from './endpoint-helpers.ts';
import { MetricKindCache } from './metric-kind-cache.ts';
import { QUANTILE_KINDS, quantileKind, quantileQuery } from './quantile-query.ts';
import { metricJson, pointJson } from './row-formats.ts';

/**
 * `GET /api/v1/metrics` (points), `GET /api/v1/aggregate` (time buckets with avg|sum|min|max|count|first|last|
 * p50|p90|p95|p99|rate|increase, grouped by symbol, service or a label) and `GET /api/v1/histograms` (quantiles of
 * explicit or exponential histograms, estimated, or the stored quantiles of summaries; the kind is looked up from
 * the metric's name unless `kind` says it).
 * @example registerMetricEndpoints({ app, queries, maxBuckets: 100_000 });
 */
export function registerMetricEndpoints({ app, queries, maxBuckets }: QueryEndpointDeps): void {
  const kindCache = new MetricKindCache(queries);
  app.get('/api/v1/metrics', async (c) => {
    const p = params(c, ['name', 'symbol', 'service', 'order', ...RANGE_PARAMS], { labels: true });
    const name = p.string('name');
    // With a name, only the kinds it has are read (each kind is a scan of its own); a name of gauges and sums
    // only takes the scalar query.
    const kinds = name === undefined ? undefined : await kindCache.kindsOf(name);
    if (kinds?.length === 0) return list(c, { rows: [], truncated: false }, pointJson);
    if (kinds?.length === 1 && kinds[0] === 'scalar') {
      return list(c, await queries.run('metrics', pointFilters(selectMetrics(), p)), metricJson);
    }
    const all = pointFilters(selectPoints(), p);
    return list(c, await queries.run('metrics', kinds ? all.kinds(kinds) : all), pointJson);
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
    const p = params(c, ['name', 'kind', 'interval', 'quantiles', 'groupBy', 'symbol', ...RANGE_PARAMS]);
    const name = p.required('name');
    const kind = p.choice('kind', QUANTILE_KINDS) ?? quantileKind(name, await kindCache.kindsOf(name));
    if (kind === undefined) return jsonResponse(c, { data: [], count: 0, truncated: false, kind: null });
    let q = ranged(quantileQuery(kind, name), p).groupBy(grouping(p.string('groupBy')));
    const interval = p.string('interval');
    const quantiles = p.string('quantiles');
    const symbol = p.string('symbol');
    if (interval !== undefined) q = q.interval(interval);
    if (quantiles !== undefined) q = q.quantiles(parseQuantiles(quantiles));
    if (symbol !== undefined) q = q.symbol(symbol);
    const result = await queries.run('histograms', q.maxBuckets(maxBuckets));
    return jsonResponse(c, {
      data: result.rows,
      count: result.rows.length,
      truncated: result.truncated,
      kind,
      ...(result.source === undefined ? {} : { source: result.source }),
    });
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
