import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/plugin-api/errors.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const TOKEN = 'test-token-0123456789abcdef';

describe('public paths of plugins', () => {
  it('serves exactly the paths a plugin declares public without the token, and nothing else of it', async () => {
    const plugin = {
      name: 'status-page',
      publicPaths: ['/status'],
      setup(ctx: { app: import('hono').Hono }) {
        ctx.app.get('/status', (c) => c.text('up'));
        ctx.app.get('/status/details', (c) => c.text('secret'));
      },
    };
    const t = await startTestServer({ token: TOKEN }, { plugins: [plugin] });
    try {
      expect((await fetch(`${t.url}/status`)).status).toBe(200);
      expect((await fetch(`${t.url}/status/details`)).status).toBe(401);
      expect(
        (await fetch(`${t.url}/status/details`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
      ).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('bearer token', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ token: TOKEN });
  });
  afterAll(async () => {
    await t?.close();
  });

  const raw = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
    fetch(`${t.url}${path}`, { ...init, headers });

  it('leaves /healthz open', async () => {
    expect((await raw('/healthz')).status).toBe(200);
  });

  it('serves the dashboard page shell without a token (a browser cannot send one on navigation), no data', async () => {
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const summary = await raw('/api/v1/dashboard/summary');
    expect(summary.status).toBe(401);
  });

  it('requires the token on every other route, including unknown ones', async () => {
    for (const path of [
      '/readyz',
      '/metrics',
      '/api/v1/trades',
      '/api/v1/stats',
      '/nope',
      '/api/v1/dashboard/summary',
      '/api/v1/dashboard/catalog',
    ]) {
      const res = await raw(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="duckside"');
      expect(await res.json()).toEqual({
        error: {
          code: 'unauthorized',
          message: 'a bearer token is required (Authorization: Bearer <token>)',
        },
      });
    }
    const post = await raw(
      '/api/v1/events',
      { 'content-type': 'application/json' },
      { method: 'POST', body: '[]' },
    );
    expect(post.status).toBe(401);
    const otlp = await raw(
      '/v1/metrics',
      { 'content-type': 'application/json' },
      { method: 'POST', body: '{}' },
    );
    expect(otlp.status).toBe(401);
  });

  it('refuses wrong tokens, prefixes, extensions and other schemes', async () => {
    for (const value of [
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.toUpperCase()}`,
      `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`,
      TOKEN,
      `Bearer ${TOKEN} extra`,
    ]) {
      const res = await raw('/api/v1/stats', { authorization: value });
      expect(res.status, value).toBe(401);
    }
  });

  it('accepts the right token (scheme case-insensitive)', async () => {
    expect((await raw('/api/v1/stats', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await raw('/readyz', { authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const res = await raw('/api/v1/stats', {
      authorization: `Bearer ${TOKEN}`,
      origin: 'https://evil.example',
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await raw(
      '/api/v1/stats',
      {
        origin: 'https://evil.example',
        'access-control-request-method': 'GET',
      },
      { method: 'OPTIONS' },
    );
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS with configured origins', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ token: TOKEN, corsOrigins: ['https://dash.example'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers preflights for configured origins only, and still requires the token for requests', async () => {
    const ok = await fetch(`${t.url}/api/v1/trades`, {
      method: 'OPTIONS',
      headers: { origin: 'https://dash.example', 'access-control-request-method': 'GET' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await fetch(`${t.url}/api/v1/trades`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const noToken = await fetch(`${t.url}/api/v1/trades`, { headers: { origin: 'https://dash.example' } });
    expect(noToken.status).toBe(401);
    const withToken = await t.get('/api/v1/trades', { headers: { origin: 'https://dash.example' } });
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get('access-control-allow-origin')).toBe('https://dash.example');
  });
});

describe('binding', () => {
  it('refuses a non-loopback host without a token', async () => {
    await expect(startTestServer({ host: '0.0.0.0' })).rejects.toThrow(ConfigError);
    await expect(startTestServer({ host: '0.0.0.0' })).rejects.toThrow(/without a token/);
  });

  it('listens on a non-loopback host with a token', async () => {
    const t = await startTestServer({ host: '0.0.0.0', token: TOKEN });
    try {
      const port = new URL(t.url).port;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('error bodies', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers unknown routes and methods with a JSON 404', async () => {
    const res = await t.get('/api/v1/orders');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'not_found', message: 'no such endpoint: GET /api/v1/orders' },
    });
    expect((await t.post('/api/v1/stats', [])).status).toBe(404);
  });

  it('never shows SQL, stack traces or file paths', async () => {
    const replies = await Promise.all([
      t.get('/api/v1/trades?from=not-a-time'),
      t.get('/api/v1/aggregate?name=x&interval=0s'),
      t.post('/api/v1/trades', '[1,'),
      t.post('/api/v1/trades', [{ nope: true }]),
    ]);
    for (const r of replies) {
      expect(Object.keys(r.body)).toEqual(['error']);
      expect(typeof r.body.error.code).toBe('string');
      expect(typeof r.body.error.message).toBe('string');
      const text = JSON.stringify(r.body);
      expect(text).not.toMatch(/SELECT|INSERT|FROM |\bat \w+ \(|\.ts:\d+|duckdb/i);
    }
  });
});
