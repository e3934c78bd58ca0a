import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGGREGATIONS } from '@duckside/core';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededSidecar } from './dashboard-seed.ts';
import type { TestServer } from './helpers/test-server.ts';

/** The browser globals the `page.evaluate` callbacks use (this file compiles without the DOM library). */
interface PageElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  readonly textContent: string | null;
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
}
declare const document: { querySelector(selector: string): PageElement | null };
declare const sessionStorage: {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
};
declare function getComputedStyle(element: PageElement): { backgroundColor: string };

const TOKEN = 'dashboard-test-token-0123456789';
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/dashboard/', import.meta.url));
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Candle colours of the page (candle-chart.js), as RGB. */
const UP = [38, 166, 154];
const DOWN = [239, 83, 80];

let server: TestServer;
let browser: BrowserContext;
let profile: string;
/** Every URL the pages asked for: all must be the sidecar's. */
const requested: string[] = [];

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of the API
async function api(path: string): Promise<any> {
  const reply = await server.get(path);
  expect(reply.status, `${path}: ${JSON.stringify(reply.body)}`).toBe(200);
  return reply.body;
}

/** A page of the dashboard, with the token already in its session unless `withToken` is false. */
async function openPage(withToken = true): Promise<Page> {
  const page = await browser.newPage();
  page.on('request', (r) => requested.push(r.url()));
  page.on('pageerror', (e) => {
    throw e;
  });
  if (withToken) await page.addInitScript((t) => sessionStorage.setItem('duckside.token', t), TOKEN);
  return page;
}

/** Waits until panel `id` has rendered more than `after` times. */
async function rendered(page: Page, id: string, after = 0): Promise<void> {
  await page.waitForFunction(
    ([sel, n]) =>
      Number(document.querySelector(sel as string)?.getAttribute('data-renders') ?? 0) > (n as number),
    [`#${id}`, after],
  );
}

async function renders(page: Page, id: string): Promise<number> {
  return Number((await page.getAttribute(`#${id}`, 'data-renders')) ?? 0);
}

/** Path and query of a request URL, to ask the API the same question the page asked. */
function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

/**
 * Opens the dashboard with the token in its session and waits until `panel` has drawn; returns the page and the
 * path of its first request to `endpoint` (e.g. `candles`).
 */
async function loadDashboard(endpoint: string, panel: string): Promise<{ page: Page; asked: string }> {
  const page = await openPage();
  const response = page.waitForResponse((r) => r.url().includes(`/api/v1/${endpoint}?`));
  await page.goto(server.url);
  const asked = pathOf((await response).url());
  await rendered(page, panel);
  return { page, asked };
}

/** Runs `action` and waits until `panel` has drawn again; returns the path of the request it made to `endpoint`. */
async function afterAction(
  page: Page,
  endpoint: string,
  panel: string,
  action: () => Promise<unknown>,
): Promise<string> {
  const before = await renders(page, panel);
  const response = page.waitForResponse((r) => r.url().includes(`/api/v1/${endpoint}?`));
  await action();
  const asked = pathOf((await response).url());
  await rendered(page, panel, before);
  return asked;
}

/** The RGBA pixels of the chart canvas inside `selector`. */
interface Pixels {
  width: number;
  height: number;
  data: Buffer;
}

async function readCanvas(page: Page, selector: string): Promise<Pixels> {
  const { width, height, base64 } = await page.evaluate((sel) => {
    const canvas = document.querySelector(`${sel} canvas`) as PageElement;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) {
      binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    }
    return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
  }, selector);
  return { width, height, data: Buffer.from(base64, 'base64') };
}

/** Whether pixel `i` (byte offset) is opaque `rgb` (±2 per channel). */
function isColour(px: Pixels, i: number, rgb: readonly number[]): boolean {
  return px.data[i + 3] === 255 && rgb.every((v, k) => Math.abs((px.data[i + k] as number) - v) <= 2);
}

/**
 * For each pixel column of the candle canvas, whether it holds a solid up or down candle colour; then the runs of
 * such columns from left to right: one run per candle drawn.
 */
async function candleRuns(page: Page): Promise<Array<'up' | 'down'>> {
  const px = await readCanvas(page, '#candle-chart');
  const runs: Array<'up' | 'down'> = [];
  let previous: 'up' | 'down' | null = null;
  for (let x = 0; x < px.width; x++) {
    let kind: 'up' | 'down' | null = null;
    for (let y = 0; y < px.height && kind === null; y++) {
      const i = (y * px.width + x) * 4;
      if (isColour(px, i, UP)) kind = 'up';
      else if (isColour(px, i, DOWN)) kind = 'down';
    }
    if (kind !== null && kind !== previous) runs.push(kind);
    previous = kind;
  }
  return runs;
}

/** How many pixels of the canvas in `selector` match `match`. */
async function countPixels(
  page: Page,
  selector: string,
  match: (px: Pixels, i: number) => boolean,
): Promise<number> {
  const px = await readCanvas(page, selector);
  let n = 0;
  for (let i = 0; i < px.data.length; i += 4) if (match(px, i)) n++;
  return n;
}

/** The number a legend element shows ('64,117.41' -> 64117.41). */
async function shown(page: Page, selector: string): Promise<number> {
  const text = (await page.textContent(selector)) ?? '';
  return Number(text.replaceAll(',', ''));
}

/** Checks the metric legend shows, per quantile label, the API's value of the last bucket (and no other series). */
async function expectQuantileLegend(
  page: Page,
  answer: { data: Array<{ bucket: string; quantile: number; value: number }> },
  labels: Readonly<Record<number, string>>,
): Promise<void> {
  const lastBucket = answer.data.at(-1)?.bucket;
  const legend = await page.$$eval('#metric-legend [data-series]', (items) =>
    items.map((i) => i.getAttribute('data-series')),
  );
  expect(legend).toEqual(Object.values(labels));
  for (const [q, label] of Object.entries(labels)) {
    const row = answer.data.find((r) => r.bucket === lastBucket && r.quantile === Number(q));
    expect(row, label).toBeDefined();
    expect(await shown(page, `#metric-legend [data-series="${label}"] b`), label).toBeCloseTo(
      row?.value ?? NaN,
      6,
    );
  }
}

async function expectLegendMatches(page: Page, candle: Record<string, number>): Promise<void> {
  for (const field of ['open', 'high', 'low', 'close', 'volume']) {
    expect(await shown(page, `#candle-legend [data-field="${field}"]`), field).toBe(candle[field]);
  }
}

function direction(c: { open: number; close: number }): 'up' | 'down' {
  return c.close >= c.open ? 'up' : 'down';
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('dashboard in headless Chromium', () => {
  beforeAll(async () => {
    ({ server } = await startSeededSidecar(TOKEN));
    mkdirSync(ARTIFACTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'duckside-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 1000 },
      timezoneId: 'UTC',
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('asks for the token when the API answers 401, refuses a wrong one, then shows the data', async () => {
    const page = await openPage(false);
    const statuses: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/v1/')) statuses.push(r.status());
    });
    await page.goto(server.url);
    const dialog = page.locator('#token-dialog');
    await dialog.waitFor({ state: 'visible' });
    expect(statuses).toContain(401);
    expect(await dialog.textContent()).toContain('needs a token');

    await page.fill('#token-dialog input[name="token"]', 'not-the-token-at-all');
    await page.click('#token-dialog button[type="submit"]');
    await page.waitForFunction(() =>
      document.querySelector('#token-dialog [data-role="message"]')?.textContent?.includes('refused'),
    );
    await screenshot(page, 'token-prompt');
    expect(await dialog.isVisible()).toBe(true);

    await page.fill('#token-dialog input[name="token"]', TOKEN);
    await page.click('#token-dialog button[type="submit"]');
    await dialog.waitFor({ state: 'hidden' });
    await rendered(page, 'candle-panel');
    const summary = await api('/api/v1/dashboard/summary');
    const candles = summary.tables.find((t: { table: string }) => t.table === 'trading_candles').rows;
    expect(candles).toBe(60);
    await page.waitForSelector(`[data-stat="candles"][data-value="${candles}"]`);
    expect(await page.evaluate(() => sessionStorage.getItem('duckside.token'))).toBe(TOKEN);

    // The token stays for the session: a reload asks nothing.
    await page.reload();
    await rendered(page, 'candle-panel');
    expect(await dialog.isVisible()).toBe(false);
    await page.close();
  });

  it('draws the stored candles of the first symbol, one per API row, and its legend shows the last one', async () => {
    const { page, asked } = await loadDashboard('candles', 'candle-panel');
    expect(await page.inputValue('#candle-symbol')).toBe('BTC/USD');
    expect(asked).toContain('source=stored');

    const { data } = await api(asked);
    expect(data.length).toBeGreaterThanOrEqual(58);
    expect(await candleRuns(page)).toEqual(data.map(direction));
    await expectLegendMatches(page, data.at(-1));
    await screenshot(page, 'dashboard');
    await page.close();
  });

  it('picks a symbol whose candles are built from trades, with volume bars', async () => {
    const { page } = await loadDashboard('candles', 'candle-panel');
    const asked = await afterAction(page, 'candles', 'candle-panel', () =>
      page.selectOption('#candle-symbol', 'ETH/USD'),
    );
    expect(asked).toContain('source=trades');

    const { data } = await api(asked);
    expect(data.length).toBeGreaterThanOrEqual(59);
    // Trades come every 10 s: six in each whole minute (the page asks from a minute boundary).
    expect(data.every((c: { trades: number }) => c.trades === 6)).toBe(true);
    expect(await candleRuns(page)).toEqual(data.map(direction));
    await expectLegendMatches(page, data.at(-1));
    // Volume bars: the translucent candle colours blended over the panel, in the lower part of the chart.
    const volume = await countPixels(page, '#candle-chart', (px, i) => {
      const y = Math.floor(i / 4 / px.width);
      const [r, g, b] = [px.data[i] as number, px.data[i + 1] as number, px.data[i + 2] as number];
      return y > px.height * 0.6 && g > r + 30 && g > b - 10 && !isColour(px, i, UP);
    });
    expect(volume).toBeGreaterThan(500);
    await screenshot(page, 'trades-candles');
    await page.close();
  });

  it('narrows to the 15m preset, and auto-refresh picks up a new candle', async () => {
    const { page } = await loadDashboard('candles', 'candle-panel');
    const asked = await afterAction(page, 'candles', 'candle-panel', () =>
      page.click('#range button[data-range="15m"]'),
    );
    expect(await page.getAttribute('#range button[data-range="15m"]', 'aria-pressed')).toBe('true');
    const range = new URL(asked, server.url).searchParams;
    expect(Number(range.get('to')) - Number(range.get('from'))).toBeLessThanOrEqual(16 * 60_000);
    const { data } = await api(asked);
    expect(data.length).toBeGreaterThanOrEqual(14);
    expect(data.length).toBeLessThanOrEqual(16);
    expect(await candleRuns(page)).toEqual(data.map(direction));

    // A candle for the current minute arrives; the page shows it at the next automatic refresh (5 s).
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const latest = { open: 64_500, high: 64_612.5, low: 64_480.25, close: 64_600.75, volume: 9.5 };
    await page.selectOption('#auto-refresh', '5');
    const before = await renders(page, 'candle-panel');
    const stored = await server.post('/api/v1/candles', [
      { symbol: 'BTC/USD', venue: 'kraken', interval: '1m', timestamp: minute, ...latest },
    ]);
    expect(stored.status).toBe(200);
    await page.waitForFunction(
      (n) => Number(document.querySelector('#candle-panel')?.getAttribute('data-renders')) > n,
      before,
      { timeout: 8_000 },
    );
    await expectLegendMatches(page, latest);
    expect(await page.textContent('#candle-legend [data-field="time"]')).toBe(
      new Date(minute).toISOString().slice(0, 19).replace('T', ' '),
    );
    await page.close();
  });

  it('charts a metric aggregate and p50/p95/p99 of both histogram kinds and summary quantiles, as the API says', async () => {
    const { page, asked } = await loadDashboard('aggregate', 'metric-panel');
    const series = await api(asked);
    expect(series.data.length).toBeGreaterThan(100);
    const legend = '#metric-legend b';
    expect(await shown(page, legend)).toBeCloseTo(series.data.at(-1).value, 6);
    const blue = [77, 171, 247];
    expect(await countPixels(page, '#metric-chart', (px, i) => isColour(px, i, blue))).toBeGreaterThan(200);
    const offered = await page.$$eval('#metric-fn option', (options) => options.map((o) => o.value));
    expect(offered).toEqual([...AGGREGATIONS]);
    expect(new URL(asked, server.url).searchParams.get('fn')).toBe('avg');

    for (const [choice, kind, labels] of [
      ['histogram:http.server.duration', 'histogram', { 0.5: 'p50', 0.95: 'p95', 0.99: 'p99' }],
      [
        'exponentialHistogram:order.latency',
        'exponentialHistogram',
        { 0.5: 'p50', 0.95: 'p95', 0.99: 'p99' },
      ],
      ['summary:rpc.duration', 'summary', { 0.5: 'p50', 0.9: 'p90', 0.99: 'p99' }],
    ] as const) {
      const asked = await afterAction(page, 'histograms', 'metric-panel', () =>
        page.selectOption('#metric-name', choice),
      );
      expect(new URL(asked, server.url).searchParams.get('kind')).toBe(kind);
      await expectQuantileLegend(page, await api(asked), labels);
    }
    expect(await page.isDisabled('#metric-fn')).toBe(true);
    await screenshot(page, 'histogram');
    await page.close();
  });

  it('runs a PromQL expression over the range with the line chart, and shows a refused one inline', async () => {
    const { page } = await loadDashboard('aggregate', 'metric-panel');
    const query = 'avg by (symbol) (order_latency_ms)';
    const run = (text: string, endpoint: string) =>
      afterAction(page, endpoint, 'metric-panel', async () => {
        await page.fill('#metric-promql', text);
        await page.press('#metric-promql', 'Enter');
      });
    const asked = await run(query, 'query_range');
    const params = new URL(asked, server.url).searchParams;
    expect(params.get('query')).toBe(query);
    expect(params.get('step')).toBe('30');
    expect(Number(params.get('end')) - Number(params.get('start'))).toBeGreaterThanOrEqual(3600);
    const answer = await api(asked);
    const result = answer.data.result as Array<{ metric: { symbol: string }; values: [number, string][] }>;
    expect(result.length).toBeGreaterThan(1);
    const legend = await page.$$eval('#metric-legend [data-series]', (items) =>
      items.map((i) => i.getAttribute('data-series')),
    );
    expect(legend).toEqual(result.map((s) => `{symbol=${JSON.stringify(s.metric.symbol)}}`));
    for (const s of result) {
      const label = `{symbol=${JSON.stringify(s.metric.symbol)}}`;
      expect(await shown(page, `#metric-legend [data-series='${label}'] b`), label).toBeCloseTo(
        Number(s.values.at(-1)?.[1]),
        6,
      );
    }
    const blue = [77, 171, 247];
    expect(await countPixels(page, '#metric-chart', (px, i) => isColour(px, i, blue))).toBeGreaterThan(100);
    expect(await page.isDisabled('#metric-name')).toBe(true);
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('m.promql')).toBe(query);
    await screenshot(page, 'promql');

    await run('rate(order_latency_ms)', 'query_range');
    expect(await page.isVisible('#metric-promql-error')).toBe(true);
    expect(await page.textContent('#metric-promql-error')).toBe(
      'bad_data: expected type range vector in call to function "rate", got instant vector',
    );
    expect(await page.$$eval('#metric-legend [data-series]', (items) => items.length)).toBe(0);

    await run('', 'aggregate');
    expect(await page.isHidden('#metric-promql-error')).toBe(true);
    expect(await page.isDisabled('#metric-name')).toBe(false);
    await page.close();
  });

  it('charts the slippage and markout distributions per strategy and lists the summary of the API', async () => {
    const { page, asked } = await loadDashboard('analytics/fills', 'fills-panel');
    expect(await page.inputValue('#fills-mid')).toBe('quote_mid');
    const body = await api(asked);
    expect(body.count).toBeGreaterThan(300);
    const rows = await page.$$eval('#fills-panel tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(rows.map((r) => [r[0], r[1]])).toEqual(
      body.summary.map((s: { strategy: string; fills: number }) => [s.strategy, String(s.fills)]),
    );
    const mm = body.summary.find((s: { strategy: string }) => s.strategy === 'mm');
    expect(Number(rows.find((r) => r[0] === 'mm')?.[2])).toBeCloseTo(mm.slippageBps.avg, 2);
    // One line per strategy, in the palette's first two colours.
    const legend = await page.$$eval('#fills-legend .legend-item', (items) =>
      items.map((i) => i.getAttribute('data-series')),
    );
    expect(legend.sort()).toEqual(['mm', 'taker']);
    for (const rgb of [
      [77, 171, 247],
      [255, 169, 77],
    ]) {
      expect(
        await countPixels(page, '#fills-chart', (px, i) => isColour(px, i, rgb)),
        String(rgb),
      ).toBeGreaterThan(50);
    }
    const markouts = await afterAction(page, 'analytics/fills', 'fills-panel', () =>
      page.selectOption('#fills-figure', 'markout:2'),
    );
    expect(new URL(markouts, server.url).searchParams.get('mid')).toBe('quote_mid');
    expect(new URL(page.url()).hash).toContain('f.figure=markout%3A2');
    await screenshot(page, 'fills');
    await page.close();
  });

  it('lists the recent events newest first with a colour per severity', async () => {
    const { page, asked } = await loadDashboard('events', 'events-panel');
    const { data } = await api(asked);
    expect(data.map((e: { severity: string }) => e.severity)).not.toContain('debug');
    const rows = await page.$$eval('#events-panel tbody tr', (trs) =>
      trs.map((tr) => ({
        severity: tr.querySelector('.badge')?.textContent,
        message: tr.querySelector('.message')?.textContent,
        colour: getComputedStyle(tr.querySelector('.badge') as unknown as PageElement).backgroundColor,
      })),
    );
    expect(rows.map((r) => r.message)).toEqual(data.map((e: { message: string }) => e.message));
    const colours = new Map(rows.map((r) => [r.severity, r.colour]));
    expect(colours.size).toBe(4);
    expect(new Set(colours.values()).size).toBe(4);
    expect(colours.get('critical')).toBe('rgb(201, 42, 42)');
    // The event that came as an OTLP log record shows its trace and OTLP fields.
    const otlp = await page.$$eval('#events-panel tbody tr', (trs) =>
      trs
        .filter((tr) => tr.querySelector('.message')?.textContent === 'venue disconnected')
        .map((tr) => ({
          trace: tr.querySelector('.trace')?.textContent,
          traceTitle: tr.querySelector('.trace')?.getAttribute('title'),
          fields: Array.from(tr.querySelectorAll('.otlp-field'), (f: PageElement) => f.textContent),
        })),
    );
    expect(otlp).toEqual([
      {
        trace: '5b8efff7…',
        traceTitle: 'trace 5b8efff798038103d269b633813fc60c span eee19b7ec3c1b174',
        fields: [
          'event=venue.disconnect',
          'otlp severity=ERROR (17)',
          'service=order-gateway',
          'scope=gateway-logger@2.1.0',
          expect.stringMatching(/^observed=/),
        ],
      },
    ]);

    await afterAction(page, 'events', 'events-panel', () => page.selectOption('#events-severity', 'error'));
    const severities = await page.$$eval('#events-panel tbody .badge', (b) => b.map((e) => e.textContent));
    expect(new Set(severities)).toEqual(new Set(['error', 'critical']));
    await page.close();
  });

  it('keeps the choices in the address, so that a reload or a shared link shows the same view', async () => {
    const page = await openPage();
    const view = new URLSearchParams({
      range: '24h',
      'c.symbol': 'ETH/USD',
      'm.metric': 'histogram:http.server.duration',
      'e.severity': 'error',
    });
    const histograms = page.waitForResponse((r) => r.url().includes('/api/v1/histograms?'));
    await page.goto(`${server.url}/#${view}`);
    await histograms;
    await rendered(page, 'candle-panel');
    await rendered(page, 'events-panel');
    expect(await page.getAttribute('#range button[data-range="24h"]', 'aria-pressed')).toBe('true');
    expect(await page.inputValue('#candle-symbol')).toBe('ETH/USD');
    expect(await page.inputValue('#candle-source')).toBe('trades');
    expect(await page.inputValue('#events-severity')).toBe('error');
    const saved = new URLSearchParams(new URL(page.url()).hash.slice(1));
    expect(saved.get('m.metric')).toBe('histogram:http.server.duration');
    expect(saved.get('c.symbol')).toBe('ETH/USD');
    await page.close();
  });

  it('loads everything from the sidecar itself: no other host is asked', () => {
    expect(requested.length).toBeGreaterThan(10);
    expect(requested.filter((u) => !u.startsWith(server.url))).toEqual([]);
    expect(requested.some((u) => u.endsWith('/dashboard/uplot.js'))).toBe(true);
  });
});
