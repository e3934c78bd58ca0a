import type { PromqlRunner, SeriesCatalog } from '@duckside/promql';
import type { Context } from 'hono';
import type { PluginQueries } from '../../plugin-api/plugin.ts';

/** What the Prometheus API's route groups share. */
export interface PrometheusRouteDeps {
  /** Registers `GET` and `POST` of `/api/v1<path>` with the Prometheus error envelope. */
  route(path: string, handler: (c: Context) => Promise<Response>): void;
  /** A PromQL runner behind the query gate, named by endpoint (for the latency metric). */
  runner(endpoint: string): PromqlRunner;
  queries: PluginQueries;
  /** The labels of every stored series, kept in memory and reloaded when series are added or removed. */
  catalog: SeriesCatalog;
  /** Largest accepted form body. */
  maxBodyBytes: number;
}
