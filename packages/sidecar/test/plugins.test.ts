import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { effectiveLimits } from '../src/config/effective-limits.ts';
import { ConfigError, PluginError } from '../src/plugin-api/errors.ts';
import type { DucksidePlugin } from '../src/plugin-api/plugin.ts';
import { poll } from './helpers/poll.ts';
import { startTestServer } from './helpers/test-server.ts';

const TOKEN = 'plugin-test-token-0123456789';
/** Inside the package's node_modules, so that plugin modules resolve `zod` as an installed plugin would. */
const moduleDir = mkdtempSync(
  join(fileURLToPath(new URL('../node_modules/', import.meta.url)), '.plugin-test-'),
);

afterAll(() => rmSync(moduleDir, { recursive: true, force: true }));

/**
 * A user plugin module as users write it, plain JavaScript with a default export, using the whole context the
 * built-ins use: options from a zod schema, the query runner (gate, limits, latency), the request status, the
 * metrics registry, the logger, the db and the hooks.
 */
const USER_PLUGIN = `
import { z } from 'zod';
const events = (globalThis.__pluginEvents ??= []);
export default {
  name: 'hello',
  options: z.strictObject({ greeting: z.string().default('hi'), times: z.number().int().default(1) }),
  setup(ctx) {
    events.push('setup');
    const greetings = ctx.metrics.counter('hello_greetings_total', 'Greetings sent');
    ctx.app.get('/hello', async (c) => {
      greetings.inc();
      const { rows, truncated } = await ctx.queries.run('hello', { sql: 'SELECT count(*) AS n FROM trading_trades', params: [] });
      ctx.logger.info('greeted', { trades: Number(rows[0].n) });
      return c.json({
        greeting: ctx.options.greeting.repeat(ctx.options.times),
        trades: Number(rows[0].n),
        truncated,
        slots: ctx.queries.slots,
        inFlight: ctx.requests.inFlight,
        draining: ctx.requests.draining,
        exposesMetrics: ctx.metrics.render().includes('hello_greetings_total 1'),
      });
    });
    ctx.onStart(() => { events.push('start'); });
    ctx.onStop(async () => {
      const rows = await ctx.db.all({ sql: 'SELECT 1 AS one', params: [] });
      events.push('stop:' + rows.length);
    });
  },
};
`;

declare global {
  var __pluginEvents: string[] | undefined;
}

describe('user plugins', () => {
  it('loads a plugin module, gives it the full context (parsed options, queries, requests, metrics, logger, db) and auth, and runs its hooks in order', async () => {
    const file = join(moduleDir, 'hello-plugin.mjs');
    writeFileSync(file, USER_PLUGIN);
    globalThis.__pluginEvents = [];
    const t = await startTestServer({
      token: TOKEN,
      pluginModules: [file],
      plugins: { hello: { greeting: 'gm' } },
    });
    try {
      expect(globalThis.__pluginEvents).toEqual(['setup', 'start']);
      expect((await fetch(`${t.url}/hello`)).status).toBe(401);
      const res = await t.get('/hello');
      expect(res.body).toEqual({
        greeting: 'gm',
        trades: 0,
        truncated: false,
        slots: { running: 0, waiting: 0, limit: effectiveLimits(t.server.config).maxConcurrentQueries },
        inFlight: 1,
        draining: false,
        exposesMetrics: true,
      });
      expect((await t.get('/metrics')).body).toMatch(/^hello_greetings_total 1$/m);
      expect((await t.get('/metrics')).body).toMatch(
        /^duckside_query_duration_seconds_count\{endpoint="hello",outcome="ok"\} 1$/m,
      );
      expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'greeted', plugin: 'hello', trades: 0 }));
      expect(t.server.app.plugins).toEqual([
        'health',
        'self-metrics',
        'self-telemetry',
        'otlp',
        'grpc',
        'ingest',
        'query',
        'prometheus',
        'retention',
        'dashboard',
        'forward',
        'tiering',
        'hello',
      ]);
    } finally {
      await t.close();
    }
    expect(globalThis.__pluginEvents).toEqual(['setup', 'start', 'stop:1']);
  });

  it('refuses options its schema rejects, naming the plugin and the option', async () => {
    const file = join(moduleDir, 'hello-bad-options.mjs');
    writeFileSync(file, USER_PLUGIN);
    await expect(
      startTestServer({ pluginModules: [file], plugins: { hello: { times: 'twice' } } }),
    ).rejects.toThrow(/plugin hello: invalid options \(config plugins\.hello\): times: /);
    await expect(
      startTestServer({ pluginModules: [file], plugins: { hello: { colour: 'red' } } }),
    ).rejects.toThrow(/plugin hello: invalid options .*colour/);
    await expect(startTestServer({ plugins: { otlp: { maxBodyBytes: -1 } } })).rejects.toThrow(
      /plugin otlp: invalid options \(config plugins\.otlp\): maxBodyBytes: /,
    );
  });

  it('runs stop hooks in reverse order before the database closes', async () => {
    const order: string[] = [];
    const plugin = (name: string): DucksidePlugin => ({
      name,
      setup(ctx) {
        ctx.onStop(async () => {
          const { rows } = await ctx.db.execute({ sql: 'SELECT 1 AS one', params: [] });
          order.push(`${name}:${rows.length}`);
        });
      },
    });
    const t = await startTestServer({}, { plugins: [plugin('a'), plugin('b')] });
    await t.close();
    expect(order).toEqual(['b:1', 'a:1']);
  });

  it('replaces a built-in plugin by one with the same name', async () => {
    const query: DucksidePlugin = {
      name: 'query',
      setup(ctx) {
        ctx.app.get('/api/v1/trades', (c) => c.json({ replaced: true }));
      },
    };
    const t = await startTestServer({}, { plugins: [query] });
    try {
      expect((await t.get('/api/v1/trades')).body).toEqual({ replaced: true });
      expect((await t.get('/api/v1/events')).status).toBe(404);
      expect(t.server.app.plugins).toEqual([
        'health',
        'self-metrics',
        'self-telemetry',
        'otlp',
        'grpc',
        'ingest',
        'prometheus',
        'retention',
        'dashboard',
        'forward',
        'tiering',
        'query',
      ]);
    } finally {
      await t.close();
    }
  });

  it('turns built-in plugins off by name', async () => {
    const t = await startTestServer({
      disablePlugins: ['query', 'self-metrics', 'otlp', 'grpc', 'prometheus'],
    });
    try {
      expect((await t.get('/api/v1/trades')).status).toBe(404);
      expect((await t.get('/api/v1/query?query=1')).status).toBe(404);
      expect((await t.get('/metrics')).status).toBe(404);
      expect((await t.post('/v1/metrics', {})).status).toBe(404);
      expect(t.logs.some((l) => l.msg === 'otlp grpc listening')).toBe(false);
      expect((await t.post('/api/v1/events', [])).status).toBe(200);
      expect(t.server.app.plugins).toEqual([
        'health',
        'self-telemetry',
        'ingest',
        'retention',
        'dashboard',
        'forward',
        'tiering',
      ]);
    } finally {
      await t.close();
    }
  });

  it('refuses unknown plugin names to disable, duplicates, failing setups and modules without a plugin', async () => {
    await expect(startTestServer({ disablePlugins: ['qurey'] })).rejects.toThrow(ConfigError);
    const dup: DucksidePlugin = { name: 'twin', setup() {} };
    await expect(startTestServer({}, { plugins: [dup, { ...dup }] })).rejects.toThrow(
      /plugin twin: another plugin/,
    );
    const failing: DucksidePlugin = {
      name: 'broken',
      setup() {
        throw new Error('boom');
      },
    };
    await expect(startTestServer({}, { plugins: [failing] })).rejects.toThrow(
      /plugin broken: setup failed: boom/,
    );
    const empty = join(moduleDir, 'empty.mjs');
    writeFileSync(empty, 'export const x = 1;\n');
    await expect(startTestServer({ pluginModules: [empty] })).rejects.toThrow(PluginError);
    await expect(startTestServer({ pluginModules: [join(moduleDir, 'missing.mjs')] })).rejects.toThrow(
      /cannot import the module/,
    );
  });

  it('runs the complete plugin from docs/plugins.md as documented', async () => {
    const doc = readFileSync(new URL('../../../docs/plugins.md', import.meta.url), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(code).toContain("name: 'feed-watch'");
    const file = join(moduleDir, 'feed-watch.mjs');
    writeFileSync(file, code as string);
    const t = await startTestServer({
      pluginModules: [file],
      plugins: { 'feed-watch': { staleAfterMs: 60_000, checkEveryMs: 50 } },
    });
    try {
      const empty = await t.get('/api/v1/feed-status');
      expect(empty.body).toEqual({ symbol: null, lastTrade: null, ageMs: null, stale: true });
      const alarmed = await poll(
        async () => (await t.get('/api/v1/events?source=feed-watch')).body.count === 1,
      );
      expect(alarmed).toBe(true);
      const trade = {
        timestamp: Date.now(),
        symbol: 'BTC/USD',
        venue: 'kraken',
        side: 'buy',
        quantity: 1,
        price: 1,
      };
      await t.post('/api/v1/trades', [trade]);
      const status = await t.get('/api/v1/feed-status?symbol=BTC/USD');
      expect(status.body).toMatchObject({
        symbol: 'BTC/USD',
        lastTrade: new Date(trade.timestamp).toISOString(),
        stale: false,
      });
      const fresh = await poll(async () => /^feed_watch_stale 0$/m.test((await t.get('/metrics')).body));
      expect(fresh).toBe(true);
      expect((await t.get('/metrics')).body).toMatch(/^feed_watch_checks_total\{outcome="fresh"\} \d+$/m);
      expect((await t.get('/api/v1/events?source=feed-watch')).body.count).toBe(1);
    } finally {
      await t.close();
    }
  });
});
