import type { ServiceDefinition } from '@grpc/grpc-js';
import type { OtlpSignal } from '../otlp/otlp-signals.ts';

/**
 * The OTLP/gRPC port by convention.
 * @example configSchema.parse({ grpcPort: DEFAULT_GRPC_PORT })
 */
export const DEFAULT_GRPC_PORT = 4317;

/** The OTLP export services the gRPC receiver serves, by their full method path. */
export const OTLP_EXPORT_PATHS: Readonly<Record<OtlpSignal, string>> = Object.freeze({
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
});

const passThrough = (bytes: Buffer): Buffer => bytes;

/**
 * The service definition of one OTLP export service with pass-through (de)serializers: the handler gets the
 * request message as the raw (already decompressed) bytes and answers with encoded bytes, so no message
 * object tree is ever built.
 * @example server.addService(otlpExportService('metrics'), { Export: handler });
 */
export function otlpExportService(signal: OtlpSignal): ServiceDefinition {
  return {
    Export: {
      path: OTLP_EXPORT_PATHS[signal],
      requestStream: false,
      responseStream: false,
      requestSerialize: passThrough,
      requestDeserialize: passThrough,
      responseSerialize: passThrough,
      responseDeserialize: passThrough,
    },
  };
}
