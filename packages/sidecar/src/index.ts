/**
 * `@duckside/sidecar`: build, start and extend the sidecar — `createApp` and `startServer`, the configuration
 * schema, the plugin contract and what a plugin uses (body reader, error replies, logger, self-metrics), and the
 * sidecar's errors. The OTLP decoders are in `@duckside/sidecar/otlp`.
 * @example
 * import { configSchema, startServer } from '@duckside/sidecar';
 * const server = await startServer({ config: configSchema.parse({ port: 0, database: ':memory:' }) });
 * await server.shutdown();
 */

// Building and running the server.
export { type AppDeps, createApp, type SidecarApp } from './app.ts';
// Configuration.
export { configSchema, type SidecarConfig, type SidecarConfigInput } from './config/config-schema.ts';
export { type Command, loadConfig } from './config/load-config.ts';
// Writing plugins: the contract and what a plugin's routes use.
export { readBody } from './http/body-reader.ts';
export { type ErrorReply, errorReply } from './http/error-reply.ts';
// Errors.
export {
  BodyTooLargeError,
  ConfigError,
  MalformedBodyError,
  MethodNotAllowedError,
  NotFoundError,
  NotReadyError,
  PluginError,
  QueryCapacityError,
  ShuttingDownError,
  SidecarError,
  type SidecarErrorCode,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from './plugin-api/errors.ts';
export type {
  Collect,
  CommittedExport,
  Counter,
  DucksidePlugin,
  Gauge,
  Histogram,
  Logger,
  NoOptions,
  OtlpExportHooks,
  PluginContext,
  PluginQueries,
  RequestStatus,
  SelfMetrics,
} from './plugin-api/plugin.ts';
export { SIDECAR_VERSION } from './plugin-api/version.ts';
export { type RunningServer, type StartOptions, startServer } from './server.ts';
export { createLogger, type LogLevel, type SidecarLogger } from './telemetry/logger.ts';
export { MetricsRegistry } from './telemetry/self-metrics.ts';
