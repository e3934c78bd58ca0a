import {
  type Database,
  type MetricGrouping,
  type QueryResult,
  type TimestampInput,
  ValidationError,
} from '@duckside/core';
import type { Context, Hono } from 'hono';
import { jsonResponse } from '../../http/json-response.ts';
import { QueryParams } from '../../http/query-params.ts';
import type { PluginQueries } from '../../plugin-api/plugin.ts';

/** What the query endpoints share. */
export interface QueryEndpointDeps {
  app: Hono;
  db: Database;
  queries: PluginQueries;
  /** Most buckets a from/to range may hold (else 400). */
  maxBuckets: number;
}

/** Parameters every time-ranged list endpoint accepts. */
export const RANGE_PARAMS = ['from', 'to', 'limit'] as const;

/**
 * Parses the query string of a request against an allowlist (see {@link QueryParams}).
 * @example const p = params(c, ['symbol', ...RANGE_PARAMS]);
 */
export function params(
  c: Context,
  allowed: readonly string[],
  options: { labels?: boolean } = {},
): QueryParams {
  return QueryParams.parse(new URL(c.req.url), allowed, options);
}

/**
 * Applies `from`, `to` and `limit` to a builder.
 * @example builder = ranged(selectTrades(), p);
 */
export function ranged<
  B extends {
    between(from: TimestampInput | undefined, to: TimestampInput | undefined): B;
    limit(n: number): B;
  },
>(builder: B, p: QueryParams): B {
  const from = p.string('from');
  const to = p.string('to');
  let b = from !== undefined || to !== undefined ? builder.between(from, to) : builder;
  const limit = p.int('limit');
  if (limit !== undefined) b = b.limit(limit);
  return b;
}

/** The setters of a point selection (scalar or every kind). */
interface PointSelection<B> {
  between(from: TimestampInput | undefined, to: TimestampInput | undefined): B;
  limit(n: number): B;
  name(name: string): B;
  symbol(symbol: string): B;
  service(service: string): B;
  order(order: 'asc' | 'desc'): B;
  label(key: string, value: string): B;
}

/**
 * Applies the parameters of `/api/v1/metrics` (name, symbol, service, order, labels, range, limit) to a point
 * selection.
 * @example const q = pointFilters(selectPoints(), p);
 */
export function pointFilters<B extends PointSelection<B>>(builder: B, p: QueryParams): B {
  let q = ranged(builder, p);
  const name = p.string('name');
  const symbol = p.string('symbol');
  const service = p.string('service');
  const order = p.choice('order', ['asc', 'desc'] as const);
  if (name !== undefined) q = q.name(name);
  if (symbol !== undefined) q = q.symbol(symbol);
  if (service !== undefined) q = q.service(service);
  if (order !== undefined) q = q.order(order);
  for (const [key, value] of Object.entries(p.labels)) q = q.label(key, value);
  return q;
}

/**
 * The `groupBy` parameter of metric endpoints: `symbol`, `service` or `label.<key>`.
 * @example grouping('label.exchange') // { by: 'label', key: 'exchange' }
 */
export function grouping(value: string | undefined): MetricGrouping {
  if (value === undefined) return { by: 'none' };
  if (value === 'symbol' || value === 'service') return { by: value };
  if (value.startsWith('label.') && value.length > 'label.'.length)
    return { by: 'label', key: value.slice(6) };
  throw new ValidationError('groupBy', 'must be symbol, service or label.<key>');
}

/**
 * The JSON list answer: `{ data, count, truncated }`.
 * @example return list(c, await queries.run('trades', q), tradeJson);
 */
export function list<R, O>(c: Context, result: QueryResult<R>, format: (row: R) => O): Response {
  const data = result.rows.map(format);
  const body = { data, count: data.length, truncated: result.truncated };
  // Rollup-capable queries say what answered them (`raw`, `rollup:1h`, `rollup:1h+raw`).
  return jsonResponse(c, result.source === undefined ? body : { ...body, source: result.source });
}
