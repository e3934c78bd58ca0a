import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../plugin-api/errors.ts';
import { configSchema, type SidecarConfig } from './config-schema.ts';
import { OPTION_DEFINITIONS } from './option-definitions.ts';

/** What the command line asks for. */
export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; config: SidecarConfig; configFile: string | undefined; warnings: string[] };

type Layer = { values: Record<string, unknown>; sources: Map<string, string> };

/** Config-file keys whose relative paths are resolved against the config file's folder. */
const PATH_KEYS = ['database', 'tokenFile', 'tlsCert', 'tlsKey'];

/**
 * Reads the configuration from flags, `DUCKSIDE_*` environment variables and an optional JSON config file
 * (precedence: flags, then environment, then file, then defaults), validates it, and reads `tokenFile`.
 * @throws ConfigError naming the option and where its bad value came from (flag, variable or file).
 * @example
 * const command = loadConfig(process.argv.slice(2), process.env);
 * if (command.kind === 'run') console.log(command.config.port);
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): Command {
  const flags = parseFlags(argv);
  if (flags.help) return { kind: 'help' };
  if (flags.version) return { kind: 'version' };

  const configFile = (flags.config as string | undefined) ?? nonEmpty(env.DUCKSIDE_CONFIG);
  const layers: Layer[] = [];
  if (configFile) layers.push(fileLayer(resolve(cwd, configFile)));
  layers.push(envLayer(env), flagLayer(flags));

  const merged: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) setPath(merged, key, value);
    for (const [key, source] of layer.sources) sources.set(key, source);
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 5).map((issue) => {
      const path = issue.path.map(String).join('.') || '(root)';
      const source = sourceOf(path, sources);
      const message =
        issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
      return `${path}${source ? ` (from ${source})` : ''}: ${message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const config = result.data;
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new ConfigError(
      'invalid configuration:\n  tlsCert, tlsKey: give both --tls-cert and --tls-key, or neither',
    );
  }
  if (config.token === undefined && config.tokenFile !== undefined) {
    config.token = readTokenFile(resolve(cwd, config.tokenFile));
  }
  return { kind: 'run', config, configFile, warnings: unknownEnvWarnings(env) };
}

function parseFlags(input: readonly string[]): Record<string, unknown> {
  // `pnpm start -- --port 1` passes the `--` through; it only separates the runner's arguments from ours.
  const argv = input[0] === '--' ? input.slice(1) : input;
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const d of OPTION_DEFINITIONS) {
    options[d.flag] = {
      type: d.type,
      ...(d.short ? { short: d.short } : {}),
      ...(d.multiple ? { multiple: true } : {}),
    };
  }
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (see duckside --help)`, { cause: error });
  }
}

function fileLayer(path: string): Layer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`);
  }
  const object = values as Record<string, unknown>;
  const base = dirname(path);
  for (const key of PATH_KEYS) {
    const v = object[key];
    if (typeof v === 'string' && !isAbsolute(v)) object[key] = resolve(base, v);
  }
  if (Array.isArray(object.pluginModules)) {
    object.pluginModules = object.pluginModules.map((m) =>
      typeof m === 'string' && m.startsWith('.') ? resolve(base, m) : m,
    );
  }
  const sources = new Map<string, string>();
  for (const leaf of leafPaths(object)) sources.set(leaf, `config file ${path}`);
  return { values: object, sources };
}

function envLayer(env: NodeJS.ProcessEnv): Layer {
  const layer: Layer = { values: {}, sources: new Map() };
  for (const d of OPTION_DEFINITIONS) {
    const value = d.env ? env[d.env] : undefined;
    if (!d.key || !d.env || value === undefined || value === '') continue;
    layer.values[d.key] = value;
    layer.sources.set(d.key, `${d.env}=${JSON.stringify(value)}`);
  }
  return layer;
}

function flagLayer(flags: Record<string, unknown>): Layer {
  const layer: Layer = { values: {}, sources: new Map() };
  for (const d of OPTION_DEFINITIONS) {
    const value = flags[d.flag];
    if (!d.key || value === undefined) continue;
    layer.values[d.key] = value;
    layer.sources.set(d.key, `--${d.flag} ${JSON.stringify(value)}`);
  }
  return layer;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function leafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? [`${prefix}${k}`, ...leafPaths(v as Record<string, unknown>, `${prefix}${k}.`)]
      : [`${prefix}${k}`],
  );
}

function sourceOf(path: string, sources: Map<string, string>): string | undefined {
  for (let p = path; p.length > 0; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const s = sources.get(p);
    if (s) return s;
  }
  return undefined;
}

function readTokenFile(path: string): string {
  let token: string;
  try {
    token = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`cannot read token file ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (token.length < 16)
    throw new ConfigError(`token file ${path}: the token must be at least 16 characters`);
  return token;
}

function unknownEnvWarnings(env: NodeJS.ProcessEnv): string[] {
  const known = new Set(OPTION_DEFINITIONS.map((d) => d.env));
  return Object.keys(env)
    .filter((k) => k.startsWith('DUCKSIDE_') && !known.has(k))
    .map((k) => `unknown environment variable ${k} is ignored (see duckside --help)`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
