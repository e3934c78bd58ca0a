import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One file of the dashboard, held in memory with its gzip form and a strong ETag. */
export interface StaticAsset {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly gzip: Uint8Array<ArrayBuffer>;
  readonly contentType: string;
  readonly etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page's own files, in `static/` beside this module (`index.html` is served at `/`). */
const PAGE_FILES = [
  'index.html',
  'app.js',
  'api-client.js',
  'candle-chart.js',
  'candle-panel.js',
  'chart-theme.js',
  'dashboard.css',
  'distribution-chart.js',
  'dom.js',
  'events-panel.js',
  'favicon.svg',
  'fills-panel.js',
  'format.js',
  'header-panel.js',
  'line-chart.js',
  'metric-panel.js',
  'panel.js',
  'promql-query.js',
  'time-range.js',
  'token-prompt.js',
] as const;

/** Files of the installed `uplot` package, served under these names. */
const UPLOT_FILES = {
  'uplot.js': 'uplot/dist/uPlot.iife.min.js',
  'uplot.css': 'uplot/dist/uPlot.min.css',
} as const;

/**
 * The paths that serve the page shell (no data): the host exempts them from bearer auth so that a browser can
 * load the page, which then asks for the token when the API answers 401.
 * @example app.use('*', bearerAuth(token, ['/healthz', ...DASHBOARD_PUBLIC_PATHS]));
 */
export const DASHBOARD_PUBLIC_PATHS: readonly string[] = Object.freeze([
  '/',
  ...[...PAGE_FILES.filter((f) => f !== 'index.html'), ...Object.keys(UPLOT_FILES)].map(
    (f) => `/dashboard/${f}`,
  ),
]);

/**
 * Reads the dashboard's files (the page's from `dir`, uPlot's from its installed package) into memory, once at
 * startup.
 * Keys are the names served under `/dashboard/` (`index.html` is served at `/`).
 * @example const assets = await loadStaticAssets(); assets.get('app.js')?.contentType // 'text/javascript; charset=utf-8'
 */
export async function loadStaticAssets(
  dir: string = fileURLToPath(new URL('./static/', import.meta.url)),
): Promise<ReadonlyMap<string, StaticAsset>> {
  const require = createRequire(import.meta.url);
  const sources: Array<[string, string]> = [
    ...PAGE_FILES.map((name): [string, string] => [name, join(dir, name)]),
    ...Object.entries(UPLOT_FILES).map(([name, spec]): [string, string] => [name, require.resolve(spec)]),
  ];
  const entries = await Promise.all(
    sources.map(async ([name, path]): Promise<[string, StaticAsset]> => {
      const body = new Uint8Array(await readFile(path));
      return [name, toAsset(body, CONTENT_TYPES[extname(name)] ?? 'application/octet-stream')];
    }),
  );
  return new Map(entries);
}

function toAsset(body: Uint8Array<ArrayBuffer>, contentType: string): StaticAsset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, gzip: new Uint8Array(gzipSync(body, { level: 9 })), contentType, etag };
}
