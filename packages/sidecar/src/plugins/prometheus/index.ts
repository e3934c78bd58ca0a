import { SeriesCatalog } from '@duckside/promql';
import type { Context } from 'hono';
import { z } from 'zod';
import type { DucksidePlugin } from '../../plugin-api/plugin.ts';
import { SIDECAR_VERSION } from '../../plugin-api/version.ts';
import { apiError, apiSuccess } from './api-reply.ts';
import { metadataReply } from './metadata-route.ts';
import { promqlRunner } from './promql-runner.ts';
import { registerQueryRoutes } from './query-routes.ts';
import { registerRemoteWrite } from './remote-write-route.ts';
import type { PrometheusRouteDeps } from './route-deps.ts';
import { registerSeriesRoutes } from './series-routes.ts';

/** Options of the Prometheus API (config `plugins.prometheus`). */
const prometheusOptions = z.strictObject({
  /** Largest `application/x-www-form-urlencoded` POST body (default 1 MiB). */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Largest remote_write body, snappy-compressed on the wire and once decompressed (default 16 MiB). */
  writeMaxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
});

/** The Prometheus semantics Duckside follows (Grafana reads features from `buildinfo.version`). */
const PROMETHEUS_VERSION = '2.42.0';

/**
 * The Prometheus HTTP API under `/api/v1` (`query`, `query_range`, `series`, `labels`, `label/<name>/values`,
 * `metadata`, `status/buildinfo`), GET and POST, so that Grafana's Prometheus data source reads Duckside; and
 * the remote_write 1.0 receiver `POST /api/v1/write`, into the same tables through core's group-commit writer.
 * Queries run through `ctx.queries` (token, gate, time limit, row cap); errors use Prometheus' envelope.
 * @example await host.register([prometheusPlugin]); // GET /api/v1/query?query=up
 */
export const prometheusPlugin: DucksidePlugin<z.output<typeof prometheusOptions>> = {
  name: 'prometheus',
  options: prometheusOptions,
  setup(ctx) {
    const { metadata } = registerRemoteWrite(ctx, ctx.options.writeMaxBodyBytes);
    const deps: PrometheusRouteDeps = {
      route(path, handler) {
        const guarded = async (c: Context) => {
          try {
            return await handler(c);
          } catch (error) {
            const response = apiError(c, error);
            if (response.status >= 500 && response.status !== 503)
              ctx.logger.error('prometheus API failed', { error });
            return response;
          }
        };
        ctx.app.on(['GET', 'POST'], `/api/v1${path}`, guarded);
      },
      runner: (endpoint) => promqlRunner(ctx.queries, endpoint),
      queries: ctx.queries,
      // Read on the database itself: the catalog is not an answer, so the API's row cap does not apply to it.
      catalog: new SeriesCatalog(ctx.db),
      maxBodyBytes: ctx.options.maxBodyBytes,
    };
    registerQueryRoutes(deps);
    registerSeriesRoutes(deps);
    deps.route('/status/buildinfo', async (c) =>
      apiSuccess(c, {
        version: PROMETHEUS_VERSION,
        revision: `duckside-${SIDECAR_VERSION}`,
        branch: '',
        buildUser: '',
        buildDate: '',
        goVersion: '',
      }),
    );
    deps.route('/metadata', async (c) => apiSuccess(c, await metadataReply(c, metadata, deps.maxBodyBytes)));
  },
};
