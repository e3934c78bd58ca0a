import { type CompiledQuery, compiled, sqlTimestamp } from '@duckside/core';
import type { Hono } from 'hono';
import { jsonResponse } from '../http/json-response.ts';
import { params } from '../plugins/query-api/endpoint-helpers.ts';
import type { QueryRunner } from '../plugins/query-api/query-runner.ts';

/** What the dashboard's pickers offer, listed from the data of the last 7 days (the widest range preset). */
export interface DashboardCatalog {
  /** Metric names; `histogram` ones are charted as p50/p95/p99. */
  metrics: Array<{ name: string; kind: 'scalar' | 'histogram' }>;
  /** Symbols with stored candles (and their intervals) or trades. */
  markets: Array<{ symbol: string; intervals: string[]; trades: boolean }>;
  /** Symbols seen on metric points. */
  metricSymbols: string[];
}

/** How far back the catalog looks: the widest range the page offers. */
const LOOKBACK_MS = 7 * 86_400_000;
const MAX_ENTRIES = 1000;

const METRIC_NAMES = `SELECT name, kind FROM (
  SELECT DISTINCT name, 'scalar' AS kind FROM trading_metrics WHERE ts >= ?::TIMESTAMP
  UNION ALL
  SELECT DISTINCT name, 'histogram' AS kind FROM otel_histograms WHERE ts >= ?::TIMESTAMP)
ORDER BY name, kind LIMIT ?`;

const MARKETS = `SELECT symbol, list(DISTINCT interval ORDER BY interval) FILTER (WHERE interval IS NOT NULL) AS intervals,
  bool_or(from_trades) AS trades
FROM (SELECT DISTINCT symbol, interval, false AS from_trades FROM trading_candles WHERE ts >= ?::TIMESTAMP
      UNION ALL SELECT DISTINCT symbol, NULL AS interval, true AS from_trades FROM trading_trades WHERE ts >= ?::TIMESTAMP)
GROUP BY symbol ORDER BY symbol LIMIT ?`;

const METRIC_SYMBOLS = `SELECT DISTINCT symbol FROM trading_metrics WHERE ts >= ?::TIMESTAMP AND symbol IS NOT NULL
UNION SELECT DISTINCT symbol FROM otel_histograms WHERE ts >= ?::TIMESTAMP AND symbol IS NOT NULL
ORDER BY symbol LIMIT ?`;

/** One of the catalog queries over the lookback window ending `now`. */
function since<R>(sql: string, now: number): CompiledQuery<R> {
  const from = sqlTimestamp(now - LOOKBACK_MS);
  return compiled<R>(sql, [from, from, MAX_ENTRIES]);
}

/** Reads the catalog: three scans, one after the other, so that it holds one query slot at a time. */
async function readCatalog(runner: QueryRunner, now: number): Promise<DashboardCatalog> {
  const metrics = await runner.run(
    'dashboard.catalog',
    since<DashboardCatalog['metrics'][number]>(METRIC_NAMES, now),
  );
  const markets = await runner.run(
    'dashboard.catalog',
    since<{ symbol: string; intervals: string[] | null; trades: boolean }>(MARKETS, now),
  );
  const symbols = await runner.run('dashboard.catalog', since<{ symbol: string }>(METRIC_SYMBOLS, now));
  return {
    metrics: metrics.rows,
    markets: markets.rows.map((m) => ({ symbol: m.symbol, intervals: m.intervals ?? [], trades: m.trades })),
    metricSymbols: symbols.rows.map((s) => s.symbol),
  };
}

/**
 * `GET /api/v1/dashboard/catalog[?fresh=1]`: metric names (with kind), market symbols (with stored candle intervals)
 * and metric symbols seen in the last 7 days, at most 1000 of each. The answer is cached for `ttlMs` (names change
 * rarely and the scans cost tens of ms per 10M rows); `fresh=1` reads it again.
 * @example registerCatalogRoute(app, runner, 30_000); // curl -H 'authorization: Bearer T' :4318/api/v1/dashboard/catalog
 */
export function registerCatalogRoute(app: Hono, runner: QueryRunner, ttlMs: number): void {
  let cached: { at: number; catalog: Promise<DashboardCatalog> } | undefined;
  app.get('/api/v1/dashboard/catalog', async (c) => {
    const fresh = params(c, ['fresh']).choice('fresh', ['0', '1'] as const) === '1';
    const now = Date.now();
    if (fresh || cached === undefined || now - cached.at > ttlMs) {
      const entry = { at: now, catalog: readCatalog(runner, now) };
      cached = entry;
      entry.catalog.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return jsonResponse(c, await cached.catalog);
  });
}
