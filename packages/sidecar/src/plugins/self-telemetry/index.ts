import { hostname } from 'node:os';
import { metrics } from '@opentelemetry/api';
import { z } from 'zod';
import type { DucksidePlugin } from '../../plugin-api/plugin.ts';
import { SIDECAR_VERSION } from '../../plugin-api/version.ts';

/** Options of the self-telemetry plugin (from `--self-telemetry`, or config `plugins.self-telemetry`). */
const selfTelemetryOptions = z.strictObject({
  /** Store the sidecar's own metrics in its database (off by default). */
  enabled: z.boolean().default(false),
  /** How often they are stored, in milliseconds. */
  intervalMs: z.number().int().min(100).default(10_000),
});

/** The self-telemetry plugin's parsed options. */
export type SelfTelemetryOptions = z.output<typeof selfTelemetryOptions>;

/**
 * With `enabled` (`--self-telemetry`), registers an OpenTelemetry `MeterProvider` for the process whose reader
 * stores every `intervalMs` what core reports through `@opentelemetry/api` (commit rounds, rows per table, query
 * durations by endpoint, pool gauges) plus the write queue and file size, as metrics of `service.name=duckside`
 * in the sidecar's own database. If the process already has a provider (a user plugin registered one), core
 * reports to that one and this plugin stores nothing (warned).
 * @example duckside --self-telemetry   # then GET /api/v1/metrics?name=db.client.operation.duration
 */
export const selfTelemetryPlugin: DucksidePlugin<SelfTelemetryOptions> = {
  name: 'self-telemetry',
  options: selfTelemetryOptions,
  async setup(ctx) {
    if (!ctx.options.enabled) return;
    // The SDK is loaded only when asked for: a sidecar without --self-telemetry starts without it.
    const [
      { resourceFromAttributes },
      { MeterProvider, PeriodicExportingMetricReader },
      { OwnMetricsExporter },
    ] = await Promise.all([
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-metrics'),
      import('./own-metrics-exporter.ts'),
    ]);
    const reader = new PeriodicExportingMetricReader({
      exporter: new OwnMetricsExporter(ctx.db),
      exportIntervalMillis: ctx.options.intervalMs,
      exportTimeoutMillis: Math.min(ctx.options.intervalMs, 30_000),
    });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({
        'service.name': 'duckside',
        'service.version': SIDECAR_VERSION,
        'service.instance.id': `${hostname()}:${process.pid}`,
      }),
      readers: [reader],
    });
    if (!metrics.setGlobalMeterProvider(provider)) {
      ctx.logger.warn('self-telemetry: the process already has a meter provider; core reports to that one');
      void provider.shutdown();
      return;
    }
    const meter = provider.getMeter('@duckside/sidecar', SIDECAR_VERSION);
    meter
      .createObservableUpDownCounter('duckside.writer.queue.size', {
        unit: 'By',
        description: 'Bytes of writes waiting to be committed',
      })
      .addCallback((r) => r.observe(ctx.db.writerStats().queuedBytes));
    meter
      .createObservableUpDownCounter('duckside.db.file.size', {
        unit: 'By',
        description: 'Size of the database file plus its WAL',
      })
      .addCallback((r) => r.observe(ctx.db.fileSizeBytes()));
    ctx.logger.info('self-telemetry on', { intervalMs: ctx.options.intervalMs });
    // Stops before the database closes: the last figures are stored, then core reports to no one again.
    ctx.onStop(async () => {
      await provider.shutdown();
      metrics.disable();
    });
  },
};
