import type { Context } from 'hono';
import { Semaphore } from '../http/semaphore.ts';
import type { DucksidePlugin } from '../plugin.ts';
import { QueryRunner } from '../plugins/query-api/query-runner.ts';
import { registerCatalogRoute } from './catalog-route.ts';
import { IngestRateMeter } from './ingest-rate-meter.ts';
import { DASHBOARD_PUBLIC_PATHS, loadStaticAssets, type StaticAsset } from './static-assets.ts';
import { registerSummaryRoute } from './summary-route.ts';

/** Options of the dashboard plugin (also read from config `plugins.dashboard`). */
export interface DashboardOptions {
  /** The query API's concurrency gate, so that the dashboard's queries queue with the others (own gate of 2 when absent). */
  gate?: Semaphore;
  /** Time limit of the dashboard's own queries (default 10 s). */
  queryTimeoutMs?: number;
  /** How long the catalog of names and symbols is reused (default 30 s). */
  catalogTtlMs?: number;
  /** How often the ingest rate is sampled (default 5 s). */
  sampleIntervalMs?: number;
}

/** Only the page's own origin: scripts, styles and API calls; nothing from elsewhere. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
} as const;

/**
 * The built-in dashboard: the page at `/` and its files under `/dashboard/` (uPlot included, read from its installed
 * package at startup; nothing is fetched at run time), plus two routes only the page needs:
 * `/api/v1/dashboard/summary` and `/api/v1/dashboard/catalog`. Everything else the page reads from the query API.
 * The page shell holds no data, so its paths ({@link DASHBOARD_PUBLIC_PATHS}) are the plugin's public paths.
 * @example const { app } = await createApp({ db, plugins: [createDashboardPlugin()] });
 */
export function createDashboardPlugin(defaults: DashboardOptions = {}): DucksidePlugin {
  return {
    name: 'dashboard',
    publicPaths: DASHBOARD_PUBLIC_PATHS,
    async setup(ctx) {
      const options: DashboardOptions = { ...defaults, ...(ctx.options as DashboardOptions) };
      const assets = await loadStaticAssets();
      const latency = ctx.metrics.histogram(
        'duckside_query_duration_seconds',
        'Query API latency (after waiting for a slot), by endpoint and outcome',
      );
      const limits = { timeoutMs: options.queryTimeoutMs ?? 10_000, maxRows: 10_000 };
      const runner = new QueryRunner(ctx.db, options.gate ?? new Semaphore(2, 32), limits, latency);
      const meter = new IngestRateMeter(() => ctx.db.writerStats().rowsWritten);

      ctx.app.get('/', (c) => serveAsset(c, assets.get('index.html')));
      ctx.app.get('/dashboard/:file', (c) => serveAsset(c, assets.get(c.req.param('file'))));
      registerSummaryRoute(ctx.app, runner, meter);
      registerCatalogRoute(ctx.app, runner, options.catalogTtlMs ?? 30_000);

      let timer: NodeJS.Timeout | undefined;
      ctx.onStart(() => {
        meter.sample();
        timer = setInterval(() => meter.sample(), options.sampleIntervalMs ?? 5_000);
        timer.unref();
      });
      ctx.onStop(() => clearInterval(timer));
    },
  };
}

function serveAsset(c: Context, asset: StaticAsset | undefined): Response | Promise<Response> {
  if (asset === undefined || c.req.param('file') === 'index.html') return c.notFound();
  const headers: Record<string, string> = { ...SECURITY_HEADERS, etag: asset.etag, vary: 'accept-encoding' };
  if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, headers);
  headers['content-type'] = asset.contentType;
  if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    headers['content-encoding'] = 'gzip';
    return c.body(asset.gzip, 200, headers);
  }
  return c.body(asset.body, 200, headers);
}
