import type { SidecarConfig } from '../config/config-schema.ts';
import { createDashboardPlugin } from '../dashboard/index.ts';
import type { RequestTracker } from '../http/request-tracker.ts';
import type { Semaphore } from '../http/semaphore.ts';
import { createOtlpPlugin } from '../otlp/index.ts';
import type { DucksidePlugin } from '../plugin.ts';
import type { MetricsRegistry } from '../self-metrics.ts';
import { healthPlugin } from './health-plugin.ts';
import { queryApiPlugin } from './query-api-plugin.ts';
import { retentionPlugin } from './retention-plugin.ts';
import { selfMetricsPlugin } from './self-metrics-plugin.ts';
import { tradingIngestPlugin } from './trading-ingest-plugin.ts';

/** Names of the built-in plugins, in setup order. */
export const BUILTIN_PLUGIN_NAMES = [
  'health',
  'self-metrics',
  'otlp',
  'ingest',
  'query',
  'retention',
  'dashboard',
] as const;

/** The shared parts built-in plugins need. */
export interface BuiltinDeps {
  config: SidecarConfig;
  tracker: RequestTracker;
  gate: Semaphore;
  registry: MetricsRegistry;
}

/**
 * The built-in plugins, configured from `config` (all of them; the app leaves out `config.disablePlugins`).
 * @example const plugins = builtinPlugins({ config, tracker, gate, registry });
 */
export function builtinPlugins({ config, tracker, gate, registry }: BuiltinDeps): DucksidePlugin[] {
  return [
    healthPlugin(tracker),
    selfMetricsPlugin(registry),
    createOtlpPlugin(
      config.otlp.maxBodyBytes === undefined ? {} : { maxBodyBytes: config.otlp.maxBodyBytes },
    ),
    tradingIngestPlugin({ maxBodyBytes: config.ingest.maxBodyBytes }),
    queryApiPlugin(
      { timeoutMs: config.query.timeout, maxRows: config.query.maxRows, maxBuckets: config.query.maxBuckets },
      gate,
    ),
    retentionPlugin({ maxAge: config.retention.maxAge, intervalMs: config.retention.interval }),
    createDashboardPlugin({ gate, queryTimeoutMs: config.query.timeout }),
  ];
}
