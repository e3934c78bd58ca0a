import { type Database, histogramQuantiles } from '@duckside/core';
import type { Hono } from 'hono';
import { QueryParams } from '../http/query-params.ts';

/** At most this many time buckets per quantile query. */
const MAX_BUCKETS = 2000;
const QUANTILES = [0.5, 0.95, 0.99];

/**
 * `GET /api/v1/dashboard/quantiles?name=&interval=&from=&to=[&symbol=][&label.<key>=<value>]`: p50, p95 and p99
 * per time bucket of an explicit-bucket histogram metric (core's `histogramQuantiles`), at most 2000 buckets.
 * Rows: `{ bucket, quantile, value, count }`.
 * @example registerQuantilesRoute(app, db, 10_000); // GET /api/v1/dashboard/quantiles?name=order_latency&interval=1m&from=...&to=...
 */
export function registerQuantilesRoute(app: Hono, db: Database, timeoutMs: number): void {
  app.get('/api/v1/dashboard/quantiles', async (c) => {
    const p = QueryParams.parse(new URL(c.req.url), ['name', 'symbol', 'interval', 'from', 'to'], {
      labels: true,
    });
    let query = histogramQuantiles(p.required('name'))
      .quantiles(QUANTILES)
      .interval(p.string('interval') ?? '1m')
      .between(p.required('from'), p.required('to'))
      .maxBuckets(MAX_BUCKETS)
      .limit(MAX_BUCKETS * QUANTILES.length);
    const symbol = p.string('symbol');
    if (symbol !== undefined) query = query.symbol(symbol);
    for (const [key, value] of Object.entries(p.labels)) query = query.label(key, value);
    const { rows, truncated } = await db.execute(query, {
      timeoutMs,
      maxRows: MAX_BUCKETS * QUANTILES.length,
    });
    return c.json({
      data: rows.map((r) => ({
        bucket: r.bucket.toISOString(),
        quantile: r.quantile,
        value: r.value,
        count: r.count,
      })),
      truncated,
    });
  });
}
