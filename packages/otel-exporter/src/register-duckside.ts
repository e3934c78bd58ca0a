import { Database } from '@duckside/core';
import { type Attributes, metrics } from '@opentelemetry/api';
import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { DuckDBLogRecordExporter } from './duckdb-log-exporter.ts';
import { DuckDBMetricExporter, type DuckDBMetricExporterOptions } from './duckdb-metric-exporter.ts';
import { OptionsError } from './errors.ts';

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
  /** Register the providers as the global ones (`metrics.getMeter(...)`, `logs.getLogger(...)`); default true. */
  global?: boolean;
  /**
   * Also set up a `LoggerProvider` whose batch processor exports log records into the same database
   * (`system_events`). Needs the optional peer dependencies `@opentelemetry/sdk-logs` and `@opentelemetry/api-logs`.
   */
  logs?: boolean;
  /** Most milliseconds a log record waits in the batch processor before it is exported (default 1 000). */
  logsDelayMs?: number;
}

/** What {@link registerDuckside} set up. */
export interface DucksideRegistration {
  meterProvider: MeterProvider;
  exporter: DuckDBMetricExporter;
  /** The logger provider, when `logs: true`. */
  loggerProvider?: LoggerProvider;
  /** The log record exporter, when `logs: true`. */
  logExporter?: DuckDBLogRecordExporter;
  /**
   * Exports what is pending, stops the reader and the log processor, unregisters the globals and closes the
   * database if it was opened from `path`.
   */
  shutdown(): Promise<void>;
}

/**
 * Registers Duckside as the OpenTelemetry metrics (and, with `logs: true`, logs) exporter in one call: opens the
 * database once, creates a MeterProvider with a periodic reader exporting to it (and a LoggerProvider with a batch
 * processor), and by default makes them the global providers.
 * @throws the open error, e.g. `DatabaseLockedError`, before anything is registered.
 * @example
 * const { meterProvider, shutdown } = await registerDuckside({ path: './data/metrics.duckdb', resource: { 'service.name': 'oms' } });
 * meterProvider.getMeter('orders').createCounter('orders_total').add(1, { symbol: 'BTC/USD' });
 * await shutdown();
 */
export async function registerDuckside(options: RegisterDucksideOptions): Promise<DucksideRegistration> {
  if ((options.path === undefined) === (options.database === undefined)) {
    throw new OptionsError('give exactly one of `path` and `database`');
  }
  const database =
    options.database ?? (await Database.open({ ...options.databaseOptions, path: options.path as string }));
  const ownsDatabase = options.database === undefined;
  try {
    const resource = options.resource === undefined ? undefined : toResource(options.resource);
    const isGlobal = options.global !== false;
    const exporter = new DuckDBMetricExporter({ ...options, path: undefined, database });
    const meterProvider = new MeterProvider({
      readers: [
        new PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: options.intervalMs ?? 10_000,
          ...(options.timeoutMs === undefined ? {} : { exportTimeoutMillis: options.timeoutMs }),
        }),
      ],
      ...(resource === undefined ? {} : { resource }),
      ...(options.views === undefined ? {} : { views: options.views }),
    });
    const logging = options.logs ? await setUpLogs(database, options, resource, isGlobal) : undefined;
    const isGlobalMeter = isGlobal && metrics.setGlobalMeterProvider(meterProvider);
    let stopping: Promise<void> | undefined;
    return {
      meterProvider,
      exporter,
      ...(logging ? { loggerProvider: logging.provider, logExporter: logging.exporter } : {}),
      shutdown() {
        stopping ??= (async () => {
          if (isGlobalMeter) metrics.disable();
          await Promise.all([meterProvider.shutdown(), logging?.shutdown()]);
          if (ownsDatabase) await database.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}

/** The logger provider exporting to `database`, registered as the global one when `isGlobal`. */
async function setUpLogs(
  database: Database,
  options: RegisterDucksideOptions,
  resource: Resource | undefined,
  isGlobal: boolean,
): Promise<{ provider: LoggerProvider; exporter: DuckDBLogRecordExporter; shutdown(): Promise<void> }> {
  // Loaded only when asked for: both are optional peer dependencies.
  const [{ LoggerProvider, BatchLogRecordProcessor }, { logs }] = await Promise.all([
    import('@opentelemetry/sdk-logs'),
    import('@opentelemetry/api-logs'),
  ]);
  const exporter = new DuckDBLogRecordExporter({ database });
  const provider = new LoggerProvider({
    processors: [
      new BatchLogRecordProcessor({
        exporter,
        scheduledDelayMillis: options.logsDelayMs ?? 1_000,
        ...(options.timeoutMs === undefined ? {} : { exportTimeoutMillis: options.timeoutMs }),
      }),
    ],
    ...(resource === undefined ? {} : { resource }),
  });
  const isGlobalLogger = isGlobal && logs.setGlobalLoggerProvider(provider) === provider;
  return {
    provider,
    exporter,
    async shutdown() {
      if (isGlobalLogger) logs.disable();
      await provider.shutdown();
    },
  };
}

function toResource(resource: Resource | Attributes): Resource {
  if (typeof (resource as Resource).merge === 'function') return resource as Resource;
  return defaultResource().merge(resourceFromAttributes(resource as Attributes));
}
