import type { Semaphore } from '../http/semaphore.ts';
import type { DucksidePlugin } from '../plugin.ts';
import { registerMetricEndpoints } from './query-api/metric-endpoints.ts';
import { type QueryLimits, QueryRunner } from './query-api/query-runner.ts';
import { registerSystemEndpoints } from './query-api/system-endpoints.ts';
import { registerTradingEndpoints } from './query-api/trading-endpoints.ts';

/** Limits of the query API. */
export interface QueryApiOptions extends QueryLimits {
  /** Most buckets a from/to range may hold in bucketed queries (else 400). */
  maxBuckets: number;
}

/**
 * The query API under `/api/v1`: metrics, aggregate, histograms, candles, trades, events, performance, stats.
 * Parameters are allowlisted (an unknown one is a 400), values are bound, every query runs under the gate
 * (concurrency), a time limit (504) and a row cap (`truncated`).
 * @example await host.register([queryApiPlugin({ timeoutMs: 5000, maxRows: 50_000, maxBuckets: 100_000 }, gate)]);
 */
export function queryApiPlugin(options: QueryApiOptions, gate: Semaphore): DucksidePlugin {
  return {
    name: 'query',
    setup(ctx) {
      const latency = ctx.metrics.histogram(
        'duckside_query_duration_seconds',
        'Query API latency (after waiting for a slot), by endpoint and outcome',
      );
      const runner = new QueryRunner(ctx.db, gate, options, latency);
      const deps = { app: ctx.app, runner, maxBuckets: options.maxBuckets };
      registerMetricEndpoints(deps);
      registerTradingEndpoints(deps);
      registerSystemEndpoints(deps, gate);
    },
  };
}
