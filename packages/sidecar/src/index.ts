export { type AppDeps, createApp, type SidecarApp } from './app.ts';
export { main } from './cli.ts';
export { configSchema, type SidecarConfig, type SidecarConfigInput } from './config/config-schema.ts';
export { effectiveLimits } from './config/effective-limits.ts';
export { helpText } from './config/help-text.ts';
export { type Command, loadConfig } from './config/load-config.ts';
export { OPTION_DEFINITIONS, type OptionDefinition } from './config/option-definitions.ts';
export {
  BodyTooLargeError,
  ConfigError,
  InjectedFaultError,
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
} from './errors.ts';
export { readBody } from './http/body-reader.ts';
export { type ErrorBody, jsonErrorBody } from './http/error-handler.ts';
export { type ErrorReply, errorReply } from './http/error-reply.ts';
export { type FaultSpec, parseFaults } from './http/faults.ts';
export { GrpcCode, type GrpcCodeValue } from './http/grpc-code.ts';
export { type ContentCoding, contentCoding, inflateBody } from './http/inflate-body.ts';
export { jsonResponse, jsonText } from './http/json-response.ts';
export { isLoopbackHost } from './http/loopback.ts';
export { QueryParams } from './http/query-params.ts';
export { type ErrorCode, REPLY_TABLE, type ReplyRule } from './http/reply-table.ts';
export { createLogger, LOG_LEVELS, type LogLevel, type SidecarLogger } from './logger.ts';
export { openDatabase } from './open-database.ts';
export type {
  Collect,
  Counter,
  DucksidePlugin,
  Gauge,
  Histogram,
  Logger,
  NoOptions,
  PluginContext,
  PluginQueries,
  RequestStatus,
  SelfMetrics,
} from './plugin.ts';
export { BUILTIN_PLUGIN_NAMES } from './plugins/builtin-plugins.ts';
export { loadPluginModule } from './plugins/load-plugin-module.ts';
export { DEFAULT_MAX_BODY_BYTES, type OtlpPluginOptions, otlpPlugin } from './plugins/otlp/index.ts';
export { MetricsRegistry } from './self-metrics.ts';
export { type RunningServer, type StartOptions, startServer } from './server.ts';
export { SIDECAR_VERSION } from './version.ts';
