import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTION_DEFINITIONS } from '../src/config/option-definitions.ts';
import { spawnCli } from './helpers/spawn-cli.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const direct = { UV_THREADPOOL_SIZE: '4' };

describe('duckside CLI', () => {
  it('--help documents every option with its environment variable and config key', async () => {
    const p = spawnCli(['--help'], direct);
    expect((await p.exited).code).toBe(0);
    const help = p.output();
    for (const d of OPTION_DEFINITIONS) {
      expect(help).toContain(`--${d.flag}`);
      if (d.env) expect(help).toContain(d.env);
      if (d.key) expect(help).toContain(`config "${d.key}"`);
    }
    expect(help).toContain('default 127.0.0.1');
    expect(help).toContain('default 4318');
    expect(help).toContain('default ./data/duckside.duckdb');
  });

  it('--version prints the package version (through the launcher too)', async () => {
    const p = spawnCli(['--version']);
    expect((await p.exited).code).toBe(0);
    expect(p.output().trim()).toBe(VERSION);
  });

  it('exits 2 with an actionable message on bad usage or configuration', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--port', 'abc'], {}, /port \(from --port "abc"\): expected an integer from 0 to 65535/],
      [['--frobnicate'], { DUCKSIDE_QUERY_TIMEOUT: 'soon' }, /Unknown option '--frobnicate'/],
      [
        ['--host', '0.0.0.0', '--port', '0', '--db', ':memory:'],
        {},
        /refusing to listen on 0\.0\.0\.0 without a token/,
      ],
    ];
    await Promise.all(
      cases.map(async ([args, env, message]) => {
        const p = spawnCli(args, { ...direct, ...env });
        const exit = await p.exited;
        expect(exit.code, p.output()).toBe(2);
        expect(p.output()).toMatch(message);
      }),
    );
  });
});
