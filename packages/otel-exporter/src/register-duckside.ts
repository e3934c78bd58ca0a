import { type Attributes, metrics } from '@opentelemetry/api';
import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { DuckDBMetricExporter, type DuckDBMetricExporterOptions } from './duckdb-metric-exporter.ts';

/** Options of {@link registerDuckside}: where to store, how often, and what describes this service. */
export interface RegisterDucksideOptions extends DuckDBMetricExporterOptions {
  /** Export interval in milliseconds (default 10 000). */
  intervalMs?: number;
  /** Time limit of one export in milliseconds (default 30 000, the SDK's). */
  timeoutMs?: number;
  /** The service's resource, or attributes merged over the SDK's default resource (e.g. `service.name`). */
  resource?: Resource | Attributes;
  /** Views of the MeterProvider. */
  views?: ViewOptions[];
  /** Register the MeterProvider as the global one (`metrics.getMeter(...)`); default true. */
  global?: boolean;
}

/** What {@link registerDuckside} set up. */
export interface DucksideRegistration {
  meterProvider: MeterProvider;
  exporter: DuckDBMetricExporter;
  /** Exports what is pending, stops the reader, closes the database the exporter opened, unregisters the global. */
  shutdown(): Promise<void>;
}

/**
 * Registers Duckside as the OpenTelemetry metrics exporter in one call: opens the database, creates a
 * MeterProvider with a periodic reader exporting to it, and (by default) makes it the global provider.
 * @throws the open error, e.g. `DatabaseLockedError`, before anything is registered.
 * @example
 * const { meterProvider, shutdown } = await registerDuckside({ path: './data/metrics.duckdb', resource: { 'service.name': 'oms' } });
 * meterProvider.getMeter('orders').createCounter('orders_total').add(1, { symbol: 'BTC/USD' });
 * await shutdown();
 */
export async function registerDuckside(options: RegisterDucksideOptions): Promise<DucksideRegistration> {
  const exporter = await DuckDBMetricExporter.open(options);
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: options.intervalMs ?? 10_000,
    ...(options.timeoutMs === undefined ? {} : { exportTimeoutMillis: options.timeoutMs }),
  });
  const meterProvider = new MeterProvider({
    readers: [reader],
    ...(options.resource === undefined ? {} : { resource: toResource(options.resource) }),
    ...(options.views === undefined ? {} : { views: options.views }),
  });
  const isGlobal = options.global !== false && metrics.setGlobalMeterProvider(meterProvider);
  let stopping: Promise<void> | undefined;
  return {
    meterProvider,
    exporter,
    shutdown() {
      stopping ??= (async () => {
        if (isGlobal) metrics.disable();
        await meterProvider.shutdown();
      })();
      return stopping;
    },
  };
}

function toResource(resource: Resource | Attributes): Resource {
  if (typeof (resource as Resource).merge === 'function') return resource as Resource;
  return defaultResource().merge(resourceFromAttributes(resource as Attributes));
}
