import {
  AGGREGATIONS,
  type Aggregation,
  type RecentMetricName,
  recentMarkets,
  recentMetricNames,
  recentMetricSymbols,
} from '@duckside/core';
import type { Hono } from 'hono';
import { jsonResponse } from '../../http/json-response.ts';
import { QueryParams } from '../../http/query-params.ts';
import type { PluginQueries } from '../../plugin-api/plugin.ts';

/** What the dashboard's pickers offer, listed from the data of the last 7 days (the widest range preset). */
export interface DashboardCatalog {
  /** Metric names with their kind; histograms of both kinds are charted as p50/p95/p99, summaries as their quantiles. */
  metrics: RecentMetricName[];
  /** Symbols with stored candles (and their intervals) or trades. */
  markets: Array<{ symbol: string; intervals: string[]; trades: boolean }>;
  /** Symbols seen on metric points. */
  metricSymbols: string[];
  /** The aggregations `/api/v1/aggregate` takes (core's list). */
  aggregations: readonly Aggregation[];
}

/** How far back the catalog looks: the widest range the page offers. */
const LOOKBACK_MS = 7 * 86_400_000;
const MAX_ENTRIES = 1000;

/** Reads the catalog: three scans, one after the other, so that it holds one query slot at a time. */
async function readCatalog(queries: PluginQueries, now: number): Promise<DashboardCatalog> {
  const since = now - LOOKBACK_MS;
  const metrics = await queries.run('dashboard.catalog', recentMetricNames(since, MAX_ENTRIES));
  const markets = await queries.run('dashboard.catalog', recentMarkets(since, MAX_ENTRIES));
  const symbols = await queries.run('dashboard.catalog', recentMetricSymbols(since, MAX_ENTRIES));
  return {
    metrics: metrics.rows,
    markets: markets.rows.map((m) => ({ symbol: m.symbol, intervals: m.intervals ?? [], trades: m.trades })),
    metricSymbols: symbols.rows.map((s) => s.symbol),
    aggregations: AGGREGATIONS,
  };
}

/**
 * `GET /api/v1/dashboard/catalog[?fresh=1]`: metric names (with kind), market symbols (with stored candle intervals)
 * and metric symbols seen in the last 7 days, at most 1000 of each, and the aggregations the API takes. The answer
 * is cached for `ttlMs` (names change rarely and the scans cost tens of ms per 10M rows); `fresh=1` reads it again.
 * @example registerCatalogRoute(app, ctx.queries, 30_000); // curl -H 'authorization: Bearer T' :4318/api/v1/dashboard/catalog
 */
export function registerCatalogRoute(app: Hono, queries: PluginQueries, ttlMs: number): void {
  let cached: { at: number; catalog: Promise<DashboardCatalog> } | undefined;
  app.get('/api/v1/dashboard/catalog', async (c) => {
    const p = QueryParams.parse(new URL(c.req.url), ['fresh']);
    const fresh = p.choice('fresh', ['0', '1'] as const) === '1';
    const now = Date.now();
    if (fresh || cached === undefined || now - cached.at > ttlMs) {
      const entry = { at: now, catalog: readCatalog(queries, now) };
      cached = entry;
      entry.catalog.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return jsonResponse(c, await cached.catalog);
  });
}
