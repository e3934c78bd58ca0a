import { compiled } from '@duckside/core';
import type { Hono } from 'hono';
import { jsonResponse } from '../http/json-response.ts';
import { params } from '../plugins/query-api/endpoint-helpers.ts';
import type { QueryRunner } from '../plugins/query-api/query-runner.ts';

/** What the dashboard's pickers offer, listed from the data. */
export interface DashboardCatalog {
  /** Metric names; `histogram` ones are charted as p50/p95/p99. */
  metrics: Array<{ name: string; kind: 'scalar' | 'histogram'; unit: string }>;
  /** Symbols with stored candles (and their intervals) or trades. */
  markets: Array<{ symbol: string; intervals: string[]; trades: boolean }>;
  /** Symbols seen on metric points. */
  metricSymbols: string[];
}

const MAX_ENTRIES = 1000;

const METRIC_NAMES = compiled<{ name: string; kind: 'scalar' | 'histogram'; unit: string }>(
  `SELECT name, kind, unit FROM (
  SELECT name, 'scalar' AS kind, max(unit) AS unit FROM trading_metrics GROUP BY name
  UNION ALL
  SELECT name, 'histogram' AS kind, max(unit) AS unit FROM otel_histograms GROUP BY name)
ORDER BY name, kind LIMIT ?`,
  [MAX_ENTRIES],
);

const MARKETS = compiled<{ symbol: string; intervals: string[]; trades: boolean }>(
  `SELECT symbol, list(DISTINCT interval ORDER BY interval) FILTER (WHERE interval IS NOT NULL) AS intervals,
  bool_or(from_trades) AS trades
FROM (SELECT DISTINCT symbol, interval, false AS from_trades FROM trading_candles
      UNION ALL SELECT DISTINCT symbol, NULL AS interval, true AS from_trades FROM trading_trades)
GROUP BY symbol ORDER BY symbol LIMIT ?`,
  [MAX_ENTRIES],
);

const METRIC_SYMBOLS = compiled<{ symbol: string }>(
  `SELECT DISTINCT symbol FROM trading_metrics WHERE symbol IS NOT NULL
UNION SELECT DISTINCT symbol FROM otel_histograms WHERE symbol IS NOT NULL
ORDER BY symbol LIMIT ?`,
  [MAX_ENTRIES],
);

/**
 * `GET /api/v1/dashboard/catalog`: metric names (with kind), market symbols (with stored candle intervals) and
 * metric symbols, at most 1000 of each.
 * @example registerCatalogRoute(app, runner); // curl -H 'authorization: Bearer T' :4318/api/v1/dashboard/catalog
 */
export function registerCatalogRoute(app: Hono, runner: QueryRunner): void {
  app.get('/api/v1/dashboard/catalog', async (c) => {
    params(c, []);
    // One after the other: the catalog holds one query slot at a time.
    const metrics = (await runner.run('dashboard.catalog', METRIC_NAMES)).rows;
    const markets = (await runner.run('dashboard.catalog', MARKETS)).rows;
    const symbols = (await runner.run('dashboard.catalog', METRIC_SYMBOLS)).rows;
    const catalog: DashboardCatalog = {
      metrics,
      markets: markets.map((m) => ({ symbol: m.symbol, intervals: m.intervals ?? [], trades: m.trades })),
      metricSymbols: symbols.map((s) => s.symbol),
    };
    return jsonResponse(c, catalog);
  });
}
