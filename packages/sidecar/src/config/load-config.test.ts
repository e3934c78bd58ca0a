import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../plugin-api/errors.ts';
import { loadConfig } from './load-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'duckside-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const command = loadConfig(argv, env, dir);
  if (command.kind !== 'run') throw new Error(`expected run, got ${command.kind}`);
  return command;
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const { config } = run([]);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4318,
      database: './data/duckside.duckdb',
      corsOrigins: [],
      query: { timeout: 5000, maxRows: 50_000, maxBuckets: 100_000, maxQueued: 64 },
      ingest: { maxBodyBytes: 16 * 1024 * 1024 },
      retention: { maxAge: {}, interval: 3_600_000 },
      duckdb: { walRecovery: 'move-aside', maxQueueBytes: 64 * 1024 * 1024 },
      shutdownTimeout: 10_000,
    });
    expect(config.token).toBeUndefined();
  });

  it('takes flags over environment over the config file, with paths in the file relative to it', () => {
    const file = join(dir, 'duckside.json');
    writeFileSync(
      file,
      JSON.stringify({
        port: 1111,
        host: '127.0.0.2',
        database: 'db/file.duckdb',
        query: { timeout: '2s', maxRows: 10 },
        retention: { maxAge: { trading_metrics: '30d' } },
        plugins: { hello: { greeting: 'gm' } },
      }),
    );
    const { config, configFile } = run(['--config', 'duckside.json', '--port', '3333'], {
      DUCKSIDE_PORT: '2222',
      DUCKSIDE_HOST: '::1',
      DUCKSIDE_RETENTION: 'system_events=12h,trading_trades=1w',
      DUCKSIDE_CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(configFile).toBe('duckside.json');
    expect(config.port).toBe(3333);
    expect(config.host).toBe('::1');
    expect(config.database).toBe(join(dir, 'db/file.duckdb'));
    expect(config.query).toMatchObject({ timeout: 2000, maxRows: 10 });
    expect(config.retention.maxAge).toEqual({ system_events: 43_200_000, trading_trades: 604_800_000 });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.plugins).toEqual({ hello: { greeting: 'gm' } });
  });

  it('collects repeatable flags', () => {
    const { config } = run([
      '--retention',
      'trading_metrics=7d',
      '--retention',
      'otel_histograms=1d',
      '--disable-plugin',
      'otlp',
      '--disable-plugin',
      'retention',
      '--max-body-size',
      '512KiB',
    ]);
    expect(config.retention.maxAge).toEqual({ trading_metrics: 604_800_000, otel_histograms: 86_400_000 });
    expect(config.disablePlugins).toEqual(['otlp', 'retention']);
    expect(config.ingest.maxBodyBytes).toBe(512 * 1024);
  });

  it('reads the token from a file', () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'file-token-0123456789abcdef\n');
    expect(run(['--token-file', tokenFile]).config.token).toBe('file-token-0123456789abcdef');
  });

  it('names the option and where a bad value came from', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ query: { maxRows: 0 }, retention: { maxAge: { orders: '1d' } }, colour: 1 }),
    );
    let message = '';
    try {
      run(['--config', file]);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(
      `query.maxRows (from config file ${file}): expected an integer from 1 to 1000000`,
    );
    expect(message).toContain('retention.maxAge');
    expect(message).toContain('unknown key(s) colour');
    expect(() => run(['--log-level', 'loud'])).toThrow(/log\.level \(from --log-level "loud"\)/);
    expect(() => run([], { DUCKSIDE_WAL_RECOVERY: 'ignore' })).toThrow(/DUCKSIDE_WAL_RECOVERY="ignore"/);
    expect(() => run(['--config', join(dir, 'missing.json')])).toThrow(/cannot read config file/);
  });

  it('recognizes --help and --version, and warns about unknown DUCKSIDE_ variables', () => {
    expect(loadConfig(['--help'], {}).kind).toBe('help');
    expect(loadConfig(['-v'], {}).kind).toBe('version');
    expect(loadConfig(['--', '--version'], {}).kind).toBe('version');
    expect(run([], { DUCKSIDE_PROT: '1' }).warnings).toEqual([
      'unknown environment variable DUCKSIDE_PROT is ignored (see duckside --help)',
    ]);
  });

  it('accepts the complete config file documented in docs/operations.md', () => {
    const doc = readFileSync(new URL('../../../../docs/operations.md', import.meta.url), 'utf8');
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? 'null');
    delete example.tokenFile;
    const file = join(dir, 'documented.json');
    writeFileSync(file, JSON.stringify(example));
    const { config } = run(['--config', file]);
    expect(config.query).toEqual({
      timeout: 5000,
      maxRows: 50_000,
      maxBuckets: 100_000,
      maxConcurrent: 8,
      maxQueued: 64,
    });
    expect(config.retention.maxAge).toEqual({
      trading_metrics: 2_592_000_000,
      otel_histograms: 2_592_000_000,
      system_events: 7_776_000_000,
    });
    expect(config.duckdb).toMatchObject({
      memoryLimit: '2GB',
      threads: 4,
      poolSize: 12,
      walRecovery: 'move-aside',
    });
    expect(config.pluginModules).toEqual([join(dir, 'feed-watch.js')]);
    expect(config.plugins).toEqual({ 'feed-watch': { staleAfterMs: 30000 } });
  });
});
