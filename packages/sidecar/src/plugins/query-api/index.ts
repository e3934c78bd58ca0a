import { z } from 'zod';
import type { DucksidePlugin } from '../../plugin-api/plugin.ts';
import { registerAnalyticsEndpoints } from './analytics-endpoints.ts';
import { registerMetricEndpoints } from './metric-endpoints.ts';
import { registerSystemEndpoints } from './system-endpoints.ts';
import { registerTradingEndpoints } from './trading-endpoints.ts';

/** Options of the query API (from `--max-buckets`, or config `plugins.query`). */
const queryApiOptions = z.strictObject({
  /** Most buckets a from/to range may hold in bucketed queries (else 400). */
  maxBuckets: z.number().int().positive().default(100_000),
});

/**
 * The query API under `/api/v1`: metrics, aggregate, histograms, candles, trades, events, performance, stats,
 * analytics/fills and analytics/twap.
 * Parameters are allowlisted (an unknown one is a 400), values are bound, every query runs through
 * `ctx.queries` (the concurrency gate, a time limit (504) and a row cap (`truncated`)).
 * @example await host.register([queryApiPlugin]);
 */
export const queryApiPlugin: DucksidePlugin<z.output<typeof queryApiOptions>> = {
  name: 'query',
  options: queryApiOptions,
  setup(ctx) {
    const deps = { app: ctx.app, db: ctx.db, queries: ctx.queries, maxBuckets: ctx.options.maxBuckets };
    registerMetricEndpoints(deps);
    registerTradingEndpoints(deps);
    registerSystemEndpoints(deps);
    registerAnalyticsEndpoints(deps);
  },
};
