import { resolve } from 'node:path';
import { DEFAULT_GRPC_PORT } from '../grpc/otlp-services.ts';
import type { SidecarConfig } from './config-schema.ts';

/**
 * The raw options of each plugin, by name: config `plugins.<name>`, with the built-ins' own flags laid over it
 * (`--otlp-max-body-size` for `otlp`, `--max-body-size` for `ingest`, `--max-buckets` for `query`, the retention
 * flags for `retention`, `--self-telemetry` for `self-telemetry`; for `forward` the `--forward-otlp*` flags and the queue
 * folder beside the database; for `tiering` the `--hot-days` flags, the folder beside the database and the retention ages; for `grpc` the address, `--grpc-port`, the token, TLS files and the OTLP body limit). Each plugin's
 * schema parses its entry.
 * @example pluginOptions(configSchema.parse({ otlp: { maxBodyBytes: 1024 } })).otlp // { maxBodyBytes: 1024 }
 */
export function pluginOptions(config: SidecarConfig): Record<string, Record<string, unknown>> {
  const flags: Record<string, Record<string, unknown>> = {
    otlp: config.otlp.maxBodyBytes === undefined ? {} : { maxBodyBytes: config.otlp.maxBodyBytes },
    ingest: { maxBodyBytes: config.ingest.maxBodyBytes },
    query: { maxBuckets: config.query.maxBuckets },
    retention: {
      maxAge: config.retention.maxAge,
      intervalMs: config.retention.interval,
      ...(config.retention.maxDbSize === undefined ? {} : { maxDbBytes: config.retention.maxDbSize }),
      ...downsampleFlags(config.retention.downsample),
    },
    grpc: grpcFlags(config),
    'self-telemetry': { enabled: config.selfTelemetry.enabled, intervalMs: config.selfTelemetry.interval },
    forward: forwardFlags(config),
    tiering: tieringFlags(config),
  };
  const options: Record<string, Record<string, unknown>> = { ...config.plugins };
  for (const [name, values] of Object.entries(flags)) options[name] = { ...config.plugins[name], ...values };
  return options;
}

/** The gRPC receiver listens where the HTTP server does, takes the same token, TLS files and OTLP size limit. */
function grpcFlags(config: SidecarConfig): Record<string, unknown> {
  const flags: Record<string, unknown> = {
    host: config.host,
    port: config.grpcPort ?? (config.port === 0 ? 0 : DEFAULT_GRPC_PORT),
  };
  if (config.token !== undefined) flags.token = config.token;
  if (config.tlsCert !== undefined) flags.tlsCert = config.tlsCert;
  if (config.tlsKey !== undefined) flags.tlsKey = config.tlsKey;
  if (config.otlp.maxBodyBytes !== undefined) flags.maxMessageBytes = config.otlp.maxBodyBytes;
  return flags;
}

/**
 * `--forward-otlp` upstreams come after those of config `plugins.forward.upstreams`; the queues live beside the
 * database file (`<database>.forward/`), in a temporary folder for `:memory:`.
 */
function forwardFlags(config: SidecarConfig): Record<string, unknown> {
  const own = config.plugins.forward ?? {};
  const flags: Record<string, unknown> = {};
  if (config.forward.otlp.length > 0) {
    flags.upstreams = [...(Array.isArray(own.upstreams) ? own.upstreams : []), ...config.forward.otlp];
  }
  if (Object.keys(config.forward.headers).length > 0) {
    flags.headers = { ...(own.headers as Record<string, string> | undefined), ...config.forward.headers };
  }
  if (config.forward.queueMaxBytes !== undefined) flags.queueMaxBytes = config.forward.queueMaxBytes;
  if (own.queueDir === undefined && config.database !== ':memory:')
    flags.queueDir = `${config.database}.forward`;
  return flags;
}

/**
 * `--hot-days`, `--cold-dir` and `--offload-interval`; the files go beside the database (`<database>.cold/`), and
 * cold days follow the `--retention` ages.
 */
function tieringFlags(config: SidecarConfig): Record<string, unknown> {
  const own = config.plugins.tiering ?? {};
  const flags: Record<string, unknown> = {
    intervalMs: config.tiering.interval,
    maxAge: config.retention.maxAge,
  };
  if (config.tiering.hotDays !== undefined) flags.hotDays = config.tiering.hotDays;
  if (config.tiering.dir !== undefined) flags.dir = resolve(config.tiering.dir);
  else if (own.dir === undefined && config.database !== ':memory:')
    flags.dir = resolve(`${config.database}.cold`);
  return flags;
}

/**
 * The cold tier's folder when the tier is on (`--hot-days` or config `plugins.tiering.hotDays`), else undefined:
 * the database is opened allowing DuckDB to read and write it.
 * @example coldDirectory(configSchema.parse({ database: 'a.duckdb', tiering: { hotDays: 7 } })) // '/.../a.duckdb.cold'
 */
export function coldDirectory(config: SidecarConfig): string | undefined {
  const options = pluginOptions(config).tiering ?? {};
  if (options.hotDays === undefined || typeof options.dir !== 'string') return undefined;
  return resolve(options.dir);
}

/** `--downsample raw=14d,1m=180d` as the retention plugin's `downsample` option (absent when not set). */
function downsampleFlags(ages: Record<string, number>): Record<string, unknown> {
  const { raw, ...levels } = ages;
  if (raw === undefined && Object.keys(levels).length === 0) return {};
  return { downsample: { ...(raw === undefined ? {} : { rawMaxAgeMs: raw }), levelMaxAgeMs: levels } };
}
