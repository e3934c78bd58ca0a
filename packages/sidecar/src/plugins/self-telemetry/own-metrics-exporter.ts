import type { Database } from '@duckside/core';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { OTLP_SIGNALS } from '../../otlp/otlp-signals.ts';

/**
 * A `PushMetricExporter` that stores the sidecar's own metrics in its own database through the OTLP receiver's
 * decoder (serialised as an OTLP/protobuf request, decoded by the same wire reader), so they are stored exactly
 * as an OTLP client's would be. SUCCESS only after the commit; a failed write is reported FAILED, never thrown.
 * @example new PeriodicExportingMetricReader({ exporter: new OwnMetricsExporter(db), exportIntervalMillis: 10_000 })
 */
export class OwnMetricsExporter implements PushMetricExporter {
  private pending = new Set<Promise<void>>();

  constructor(private readonly db: Database) {}

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    const write = this.store(metrics).then(
      () => resultCallback({ code: ExportResultCode.SUCCESS }),
      (error: unknown) => resultCallback({ code: ExportResultCode.FAILED, error: error as Error }),
    );
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pending);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }

  private async store(metrics: ResourceMetrics): Promise<void> {
    const bytes = ProtobufMetricsSerializer.serializeRequest(metrics);
    if (!bytes) throw new Error('the metrics could not be serialised');
    await OTLP_SIGNALS.metrics.decodeProtobuf(bytes).write(this.db);
  }
}
