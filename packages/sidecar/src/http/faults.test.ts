import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../plugin-api/errors.ts';
import { createErrorHandler } from './error-handler.ts';
import { faultInjection, parseFaults } from './faults.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('faults', () => {
  it('parses the fault spec and refuses unknown faults', () => {
    expect(parseFaults('')).toEqual({ ingest503: 0, ingestDelayMs: 0 });
    expect(parseFaults('ingest503:0.3, ingest-delay:200')).toEqual({ ingest503: 0.3, ingestDelayMs: 200 });
    for (const bad of ['ingest503:2', 'ingest503', 'ingest-delay:-1', 'disk-full:1']) {
      expect(() => parseFaults(bad), bad).toThrow(ConfigError);
    }
  });

  it('fails POSTs with the given probability and leaves GETs alone', async () => {
    const app = new Hono();
    app.onError(createErrorHandler(silent));
    const draws = [0.1, 0.9];
    app.use(
      '*',
      faultInjection({ ingest503: 0.5, ingestDelayMs: 0 }, () => draws.shift() ?? 0),
    );
    app.all('/x', (c) => c.text('ok'));
    expect((await app.request('/x', { method: 'POST' })).status).toBe(503);
    expect((await app.request('/x', { method: 'POST' })).status).toBe(200);
    expect((await app.request('/x')).status).toBe(200);
  });
});
