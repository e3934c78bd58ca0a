import { DATA_TABLES, DEFAULT_MAX_SERIES_PER_METRIC } from '@duckside/core';
import { z } from 'zod';
import { LOG_LEVELS } from '../telemetry/logger.ts';
import { parseBytes, parseDuration } from './units.ts';

const duration = (what: string) =>
  z.unknown().transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${what} like 500ms, 5s, 1m, 1h or 30d` });
      return z.NEVER;
    }
    return ms;
  });

const bytes = z.unknown().transform((value, ctx) => {
  const n = parseBytes(value);
  if (n === undefined || n < 1) {
    ctx.addIssue({ code: 'custom', message: 'expected a size like 65536, 512KiB or 16MiB' });
    return z.NEVER;
  }
  return n;
});

const int = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `expected an integer from ${min} to ${max}` })
      .int(`expected an integer from ${min} to ${max}`)
      .min(min, `expected an integer from ${min} to ${max}`)
      .max(max, `expected an integer from ${min} to ${max}`),
  );

const bool = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    if (/^(1|true|yes|on)$/i.test(v.trim())) return true;
    if (/^(0|false|no|off|)$/i.test(v.trim())) return false;
    return v;
  },
  z.boolean({ error: 'expected true or false' }),
);

/** A comma-separated string as its trimmed, non-empty items (anything else as it is). */
const commaItems = (v: unknown): unknown =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
    : v;

const list = z.preprocess(commaItems, z.array(z.string().min(1)));

const retentionMap = z.preprocess(
  (v) => {
    if (typeof v !== 'string' && !Array.isArray(v)) return v;
    const pairs = (Array.isArray(v) ? v : v.split(',')).map(String).filter((s) => s.trim().length > 0);
    return Object.fromEntries(pairs.map((p) => [p.split('=')[0]?.trim(), p.split('=').slice(1).join('=')]));
  },
  z.partialRecord(z.enum(DATA_TABLES), duration('a maximum age')).default({}),
);

/** `k=v` pairs (a list, or one comma-separated string) as an object; a pair without `=` is an error. */
const headerPairs = z.preprocess(
  (v) => {
    const pairs = typeof v === 'string' ? v.split(',') : v;
    if (!Array.isArray(pairs)) return v;
    const out: Record<string, string> = {};
    for (const pair of pairs.map(String).filter((p) => p.trim().length > 0)) {
      const at = pair.indexOf('=');
      if (at <= 0) return pair;
      out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
    return out;
  },
  z.record(z.string().min(1), z.string(), { error: 'expected name=value header pairs' }),
);

/** Upstreams: URLs (a list, or one comma-separated string) or objects (config file; see the forward plugin). */
const upstreamList = z.preprocess(
  commaItems,
  z.array(z.union([z.string().min(1), z.record(z.string(), z.unknown())])),
);

/** `raw=14d,1m=180d`: keep-for of raw rows (`raw`) and of each rollup level (by its label). */
const downsampleMap = z.preprocess(
  (v) => {
    if (typeof v !== 'string' && !Array.isArray(v)) return v;
    const pairs = (Array.isArray(v) ? v : v.split(',')).map(String).filter((s) => s.trim().length > 0);
    return Object.fromEntries(pairs.map((p) => [p.split('=')[0]?.trim(), p.split('=').slice(1).join('=')]));
  },
  z
    .record(
      z.string().regex(/^(raw|\d{1,6}[smhd])$/, 'expected raw or a rollup level like 1m'),
      duration('a keep-for'),
    )
    .default({}),
);

/** The sidecar's configuration, after defaults and validation. Durations are milliseconds, sizes bytes. */
export const configSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: int(0, 65_535).default(4318),
  /** OTLP/gRPC port; when unset 4317, or a free port when `port` is 0 (see config/plugin-options.ts). */
  grpcPort: int(0, 65_535).optional(),
  database: z.string().min(1).default('./data/duckside.duckdb'),
  token: z.string().min(16, 'must be at least 16 characters').optional(),
  tokenFile: z.string().min(1).optional(),
  /** PEM certificate and key files: with both, HTTP is served as HTTPS and gRPC over TLS. */
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  corsOrigins: list.default([]),
  log: z
    .strictObject({
      level: z.enum(LOG_LEVELS).default('info'),
      format: z.enum(['auto', 'json', 'pretty']).default('auto'),
    })
    .prefault({}),
  pluginModules: list.default([]),
  disablePlugins: list.default([]),
  /** Options handed to each plugin as `ctx.options`, by plugin name (config file only). */
  plugins: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  query: z
    .strictObject({
      timeout: duration('a duration').default(5000),
      maxRows: int(1, 1_000_000).default(50_000),
      maxBuckets: int(1, 10_000_000).default(100_000),
      /** Default: half the libuv thread pool, at most 8 (queries must leave threads for ingest and I/O). */
      maxConcurrent: int(1, 256).optional(),
      maxQueued: int(0, 10_000).default(64),
    })
    .prefault({}),
  ingest: z
    .strictObject({
      maxBodyBytes: bytes.default(16 * 1024 * 1024),
      maxSeriesPerMetric: int(0, 100_000_000).default(DEFAULT_MAX_SERIES_PER_METRIC),
    })
    .prefault({}),
  otlp: z.strictObject({ maxBodyBytes: bytes.optional() }).prefault({}),
  retention: z
    .strictObject({
      maxAge: retentionMap,
      interval: duration('a duration').default(3_600_000),
      maxDbSize: bytes.optional(),
      downsample: downsampleMap,
    })
    .prefault({}),
  tiering: z
    .strictObject({
      /** Unset: no cold tier. */
      hotDays: int(0, 100_000).optional(),
      /** Default `<database>.cold`. */
      dir: z.string().min(1).optional(),
      interval: duration('a duration').default(600_000),
    })
    .prefault({}),
  rollups: z
    .strictObject({
      /** Unset: rollups off (unless the file keeps rollups, whose buckets writes then still mark). */
      levels: list.optional(),
      maintainEvery: duration('a duration').default(1000),
    })
    .prefault({}),
  selfTelemetry: z
    .strictObject({ enabled: bool.default(false), interval: duration('a duration').default(10_000) })
    .prefault({}),
  duckdb: z
    .strictObject({
      memoryLimit: z
        .string()
        .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'expected a size like 512MB or 2GB')
        .optional(),
      checkpointThreshold: z
        .string()
        .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, 'expected a size like 64MB')
        .default('64MB'),
      threads: int(1, 1024).optional(),
      poolSize: int(2, 256).optional(),
      maxQueueBytes: bytes.default(64 * 1024 * 1024),
      walRecovery: z.enum(['move-aside', 'fail']).default('move-aside'),
    })
    .prefault({}),
  forward: z
    .strictObject({
      otlp: upstreamList.default([]),
      headers: headerPairs.default({}),
      queueMaxBytes: bytes.optional(),
    })
    .prefault({}),
  shutdownTimeout: duration('a duration').default(10_000),
  faults: z.strictObject({ enabled: bool.default(false), spec: z.string().default('') }).prefault({}),
});

/** The validated configuration. */
export type SidecarConfig = z.output<typeof configSchema>;
/** What a config file, the environment or flags may give (before defaults). */
export type SidecarConfigInput = z.input<typeof configSchema>;
