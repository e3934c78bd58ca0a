import type { Context } from 'hono';
import { z } from 'zod';
import type { DucksidePlugin } from '../../plugin-api/plugin.ts';
import { registerCatalogRoute } from './catalog-route.ts';
import { IngestRateMeter } from './ingest-rate-meter.ts';
import { DASHBOARD_PUBLIC_PATHS, loadStaticAssets, type StaticAsset } from './static-assets.ts';
import { registerSummaryRoute } from './summary-route.ts';

/** Options of the dashboard plugin (config `plugins.dashboard`). */
const dashboardOptions = z.strictObject({
  /** How long the catalog of names and symbols is reused, in ms (default 30 s). */
  catalogTtlMs: z.number().int().nonnegative().default(30_000),
  /** How often the ingest rate is sampled, in ms (default 5 s). */
  sampleIntervalMs: z.number().int().positive().default(5_000),
});

/** The dashboard plugin's parsed options. */
export type DashboardOptions = z.output<typeof dashboardOptions>;

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
 * `/api/v1/dashboard/summary` and `/api/v1/dashboard/catalog`, whose queries run through `ctx.queries` like the
 * query API's. Everything else the page reads from the query API. The page shell holds no data, so its paths
 * ({@link DASHBOARD_PUBLIC_PATHS}) are the plugin's public paths.
 * @example await host.register([dashboardPlugin]);
 */
export const dashboardPlugin: DucksidePlugin<DashboardOptions> = {
  name: 'dashboard',
  publicPaths: DASHBOARD_PUBLIC_PATHS,
  options: dashboardOptions,
  async setup(ctx) {
    const { options } = ctx;
    const assets = await loadStaticAssets();
    const meter = new IngestRateMeter(() => ctx.db.writerStats().rowsWritten);

    ctx.app.get('/', (c) => serveAsset(c, assets.get('index.html')));
    ctx.app.get('/dashboard/:file', (c) => serveAsset(c, assets.get(c.req.param('file'))));
    registerSummaryRoute(ctx.app, ctx.db, ctx.queries, meter);
    registerCatalogRoute(ctx.app, ctx.queries, options.catalogTtlMs);

    let timer: NodeJS.Timeout | undefined;
    ctx.onStart(() => {
      meter.sample();
      timer = setInterval(() => meter.sample(), options.sampleIntervalMs);
      timer.unref();
    });
    ctx.onStop(() => clearInterval(timer));
  },
};

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
