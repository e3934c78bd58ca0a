import type { Database } from '@duckside/core';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { routePath } from 'hono/route';
import { configSchema, type SidecarConfig } from './config/config-schema.ts';
import { effectiveLimits } from './config/effective-limits.ts';
import { pluginOptions } from './config/plugin-options.ts';
import { bearerAuth } from './http/bearer-auth.ts';
import { createErrorHandler } from './http/error-handler.ts';
import { type FaultSpec, faultInjection } from './http/faults.ts';
import { RequestTracker } from './http/request-tracker.ts';
import { Semaphore } from './http/semaphore.ts';
import { ExportHooks } from './otlp/export-hooks.ts';
import { ConfigError, NotFoundError } from './plugin-api/errors.ts';
import type { DucksidePlugin } from './plugin-api/plugin.ts';
import { BUILTIN_PLUGIN_NAMES, BUILTIN_PLUGINS } from './plugins/builtin-plugins.ts';
import { PluginHost } from './plugins/plugin-host.ts';
import { QueryRunner } from './query-runner.ts';
import { createLogger, type SidecarLogger } from './telemetry/logger.ts';
import { MetricsRegistry } from './telemetry/self-metrics.ts';

/** What {@link createApp} builds the app from. */
export interface AppDeps {
  /** The open database (the caller closes it). */
  db: Database;
  /** The parsed configuration (`loadConfig` or `configSchema.parse`); all defaults when left out. */
  config?: SidecarConfig;
  logger?: SidecarLogger;
  metrics?: MetricsRegistry;
  /**
   * Plugins set up after the built-in ones (which `config.disablePlugins` can turn off); one named like a built-in
   * plugin replaces it.
   */
  plugins?: readonly DucksidePlugin<unknown>[];
  /** Faults to inject (reliability tests). */
  faults?: FaultSpec;
}

/** The built app and its lifecycle. */
export interface SidecarApp {
  readonly app: Hono;
  readonly config: SidecarConfig;
  readonly metrics: MetricsRegistry;
  readonly tracker: RequestTracker;
  /** Names of the plugins set up, in order. */
  readonly plugins: readonly string[];
  /** Runs the plugins' start hooks (call once the server listens). */
  start(): Promise<void>;
  /** Runs the plugins' stop hooks, in reverse order. */
  stop(): Promise<void>;
}

/**
 * Builds the Hono app: request metrics, draining, CORS (only with configured origins), bearer auth (when a
 * token is set; all but the enabled plugins' `publicPaths`: `/healthz`, the dashboard's page shell), faults, then the enabled
 * built-in plugins and the given ones; errors map to statuses in one `onError`.
 * @throws ConfigError when `disablePlugins` names an unknown plugin; PluginError when a plugin fails to set up.
 * @example
 * const { app } = await createApp({ db, config: configSchema.parse({ token: 'a-long-secret-token' }) });
 * const res = await app.request('/healthz');
 */
export async function createApp(deps: AppDeps): Promise<SidecarApp> {
  const config = deps.config ?? configSchema.parse({});
  const logger = deps.logger ?? createLogger({ level: config.log.level, format: 'json' });
  const metrics = deps.metrics ?? new MetricsRegistry();
  const tracker = new RequestTracker();
  const gate = new Semaphore(effectiveLimits(config).maxConcurrentQueries, config.query.maxQueued);
  const app = new Hono();

  const extra = deps.plugins ?? [];
  const known = [...BUILTIN_PLUGIN_NAMES, ...extra.map((p) => p.name)];
  const unknown = config.disablePlugins.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `disablePlugins: unknown plugin(s) ${unknown.join(', ')} (known: ${known.join(', ')})`,
    );
  }
  // A given plugin named like a built-in one replaces it (e.g. another OTLP receiver).
  const builtins = BUILTIN_PLUGINS.filter((b) => !extra.some((p) => p.name === b.name));
  const enabled = [...builtins, ...extra].filter((p) => !config.disablePlugins.includes(p.name));

  app.onError(createErrorHandler(logger));
  app.notFound((c) => {
    throw new NotFoundError(`${c.req.method} ${c.req.path}`);
  });
  app.use('*', requestMetrics(metrics, logger));
  app.use('*', tracker.middleware());
  if (config.corsOrigins.length > 0) {
    app.use(
      '*',
      cors({
        origin: config.corsOrigins,
        allowHeaders: ['authorization', 'content-type', 'content-encoding'],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        maxAge: 600,
      }),
    );
  }
  if (config.token !== undefined) {
    app.use(
      '*',
      bearerAuth(
        config.token,
        enabled.flatMap((p) => p.publicPaths ?? []),
      ),
    );
  }
  if (deps.faults) app.use('*', faultInjection(deps.faults));

  metrics.gauge('duckside_http_requests_in_flight', 'HTTP requests being handled', () => tracker.inFlight);
  metrics.gauge('duckside_queries_running', 'Query API queries running', () => gate.active);
  metrics.gauge('duckside_queries_waiting', 'Query API queries waiting for a slot', () => gate.waiting);

  const latency = metrics.histogram(
    'duckside_query_duration_seconds',
    'Query API latency (after waiting for a slot), by endpoint and outcome',
  );
  const limits = { timeoutMs: config.query.timeout, maxRows: config.query.maxRows };
  const queries = new QueryRunner(deps.db, gate, limits, latency);
  const host = new PluginHost({
    app,
    db: deps.db,
    logger,
    metrics,
    queries,
    requests: tracker,
    otlp: new ExportHooks(logger),
    options: pluginOptions(config),
  });
  await host.register(enabled);

  return {
    app,
    config,
    metrics,
    tracker,
    plugins: host.names,
    start: () => host.start(),
    stop: () => host.stop(),
  };
}

function requestMetrics(metrics: MetricsRegistry, logger: SidecarLogger): MiddlewareHandler {
  const requests = metrics.counter(
    'duckside_http_requests_total',
    'HTTP requests by route, method and status',
  );
  const duration = metrics.histogram(
    'duckside_http_request_duration_seconds',
    'HTTP request latency by route',
  );
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const matched = routePath(c, -1);
    const route = matched === '/*' || matched === '*' ? 'unmatched' : matched;
    const status = String(c.res.status);
    requests.inc(1, { route, method: c.req.method, status });
    duration.observe(seconds, { route });
    logger.debug('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: seconds * 1000,
    });
  };
}
