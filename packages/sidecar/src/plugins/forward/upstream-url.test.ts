import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { pluginOptions } from '../../config/plugin-options.ts';
import { forwardOptions } from './forward-options.ts';
import { upstreamId, upstreamUrls } from './upstream-url.ts';

describe('forward upstream URLs and flags', () => {
  it('takes the metrics endpoint as given, appends /v1/metrics without a path, and puts logs beside it', () => {
    expect(upstreamUrls('http://collector:4318')).toEqual({
      metrics: 'http://collector:4318/v1/metrics',
      logs: 'http://collector:4318/v1/logs',
    });
    expect(upstreamUrls('https://c.example.com/otlp/v1/metrics/')).toEqual({
      metrics: 'https://c.example.com/otlp/v1/metrics',
      logs: 'https://c.example.com/otlp/v1/logs',
    });
    expect(upstreamUrls('http://c:4318/ingest').logs).toBe('http://c:4318/ingest/v1/logs');
    expect(() => upstreamUrls('ftp://c/x')).toThrow('http');
    expect(() => upstreamUrls('http://user:secret@c:4318')).toThrow(/must not hold credentials/);
    expect(() => upstreamUrls('http://user:secret@c:4318')).not.toThrow(/secret/);
    expect(upstreamId('http://collector:4318/v1/metrics')).toMatch(/^collector_4318-[0-9a-f]{8}$/);
    expect(upstreamId('http://a:1/v1/metrics')).not.toBe(upstreamId('http://a:1/other/v1/metrics'));
  });

  it('maps --forward-otlp, its headers, the queue cap and the queue folder onto the plugin options', () => {
    const command = loadConfig(
      [
        '--db',
        '/data/x.duckdb',
        '--forward-otlp',
        'http://a:4318',
        '--forward-otlp',
        'http://b:4318/v1/metrics',
        '--forward-otlp-header',
        'authorization=Bearer k=v',
        '--forward-queue-max-bytes',
        '1MiB',
      ],
      {},
    );
    if (command.kind !== 'run') throw new Error('expected run');
    const options = forwardOptions.parse(pluginOptions(command.config).forward);
    expect(options.upstreams.map((u) => u.url)).toEqual(['http://a:4318', 'http://b:4318/v1/metrics']);
    expect(options.headers).toEqual({ authorization: 'Bearer k=v' });
    expect(options.queueMaxBytes).toBe(1024 * 1024);
    expect(options.queueDir).toBe('/data/x.duckdb.forward');
    const env = loadConfig([], { DUCKSIDE_FORWARD_OTLP: 'http://a:1, http://b:2', DUCKSIDE_DB: ':memory:' });
    if (env.kind !== 'run') throw new Error('expected run');
    const fromEnv = forwardOptions.parse(pluginOptions(env.config).forward);
    expect(fromEnv.upstreams.map((u) => u.url)).toEqual(['http://a:1', 'http://b:2']);
    expect(fromEnv.queueDir).toBeUndefined();
    expect(() => loadConfig(['--forward-otlp-header', 'novalue'], {})).toThrow('forward.headers');
    expect(forwardOptions.safeParse({ upstreams: ['not a url'] }).success).toBe(false);
  });

  it('accepts the forwarding config documented in docs/operations.md', () => {
    const doc = readFileSync(new URL('../../../../../docs/operations.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Forwarding OTLP upstream'));
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)?.[1] ?? 'null');
    const options = forwardOptions.parse(example.plugins.forward);
    expect(options.upstreams.map((u) => u.id ?? upstreamId(upstreamUrls(u.url).metrics))).toEqual([
      expect.stringMatching(/^collector_4318-/),
      'central',
    ]);
    expect(options.upstreams[1]).toMatchObject({
      include: ['order_*', 'http_server_*'],
      resource: { 'deployment.environment': 'prod' },
    });
  });
});
