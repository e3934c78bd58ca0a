import type { DucksidePlugin } from '../plugin-api/plugin.ts';
import { dashboardPlugin } from './dashboard/index.ts';
import { forwardPlugin } from './forward/index.ts';
import { grpcPlugin } from './grpc/index.ts';
import { healthPlugin } from './health/index.ts';
import { otlpPlugin } from './otlp/index.ts';
import { prometheusPlugin } from './prometheus/index.ts';
import { queryApiPlugin } from './query-api/index.ts';
import { retentionPlugin } from './retention/index.ts';
import { selfMetricsPlugin } from './self-metrics/index.ts';
import { selfTelemetryPlugin } from './self-telemetry/index.ts';
import { tieringPlugin } from './tiering/index.ts';
import { tradingIngestPlugin } from './trading-ingest/index.ts';

/**
 * The built-in plugins, in setup order: written against the same `PluginContext` as user plugins, options from
 * their schemas (the app leaves out `config.disablePlugins`).
 * @example const names = BUILTIN_PLUGINS.map((p) => p.name);
 */
export const BUILTIN_PLUGINS: readonly DucksidePlugin<unknown>[] = Object.freeze([
  healthPlugin,
  selfMetricsPlugin,
  selfTelemetryPlugin,
  otlpPlugin,
  grpcPlugin,
  tradingIngestPlugin,
  queryApiPlugin,
  prometheusPlugin,
  retentionPlugin,
  dashboardPlugin,
  forwardPlugin,
  tieringPlugin,
]);

/**
 * Names of the built-in plugins, in setup order.
 * @example BUILTIN_PLUGIN_NAMES.includes('otlp') // true
 */
export const BUILTIN_PLUGIN_NAMES: readonly string[] = Object.freeze(BUILTIN_PLUGINS.map((p) => p.name));
