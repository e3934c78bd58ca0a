import { type ChannelOptions, credentials, Metadata, makeGenericClientConstructor } from '@grpc/grpc-js';
import { otlpProto } from './otel-proto.ts';

/** An OTLP signal with a gRPC export service. */
export type OtlpGrpcSignal = 'metrics' | 'logs';

/** The export methods of the OTLP gRPC services, as the OTLP specification names them. */
const EXPORT_PATHS: Readonly<Record<OtlpGrpcSignal, string>> = Object.freeze({
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
});

/** The outcome of one raw export call: the response bytes, or the status and its decoded details. */
export type ExportOutcome =
  | { ok: true; response: Buffer }
  | {
      ok: false;
      code: number;
      details: string;
      /** `RetryInfo.retry_delay` in milliseconds, from the `grpc-status-details-bin` trailer (when sent). */
      retryDelayMs: number | undefined;
    };

/** A real grpc-js client of an OTLP export service that sends already encoded request bytes. */
export interface ExportClient {
  export(message: Uint8Array, metadata?: Record<string, string>): Promise<ExportOutcome>;
  close(): void;
}

const raw = (b: Buffer) => b;

/**
 * A grpc-js client for `address` (`host:port`, plaintext) calling the `signal` export method with raw bytes;
 * channel options choose e.g. compression (`'grpc.default_compression_algorithm': 2` for gzip).
 * @example const client = exportClient(server.grpcAddress, 'metrics'); await client.export(bytes);
 */
export function exportClient(
  address: string,
  signal: OtlpGrpcSignal,
  options: ChannelOptions = {},
): ExportClient {
  const Client = makeGenericClientConstructor(
    {
      export: {
        path: EXPORT_PATHS[signal],
        requestStream: false,
        responseStream: false,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
      },
    },
    'OtlpExport',
  );
  const client = new Client(address, credentials.createInsecure(), options) as unknown as {
    export(
      message: Buffer,
      metadata: Metadata,
      done: (
        error: (Error & { code: number; details: string; metadata: Metadata }) | null,
        r?: Buffer,
      ) => void,
    ): void;
    close(): void;
  };
  return {
    export(message, extra = {}) {
      const metadata = new Metadata();
      for (const [k, v] of Object.entries(extra)) metadata.set(k, v);
      return new Promise((resolve) => {
        client.export(Buffer.from(message), metadata, (error, response) => {
          if (!error) return resolve({ ok: true, response: response ?? Buffer.alloc(0) });
          const [bin] = error.metadata?.get('grpc-status-details-bin') ?? [];
          resolve({
            ok: false,
            code: error.code,
            details: error.details,
            retryDelayMs: bin instanceof Buffer ? retryDelayMs(bin, error.code) : undefined,
          });
        });
      });
    },
    close: () => client.close(),
  };
}

/** The RetryInfo delay inside an encoded `google.rpc.Status` (checked against the call's own code). */
function retryDelayMs(bin: Buffer, code: number): number | undefined {
  const status = otlpProto.status.toObject(otlpProto.status.decode(bin), { longs: Number }) as {
    code: number;
    details?: Array<{ typeUrl: string; value: Uint8Array }>;
  };
  if (status.code !== code) throw new Error(`status details say code ${status.code}, the call ${code}`);
  const info = status.details?.find((d) => d.typeUrl === 'type.googleapis.com/google.rpc.RetryInfo');
  if (!info) return undefined;
  const delay = otlpProto.retryInfo.toObject(otlpProto.retryInfo.decode(info.value), { longs: Number }) as {
    retryDelay?: { seconds?: number; nanos?: number };
  };
  return (delay.retryDelay?.seconds ?? 0) * 1000 + (delay.retryDelay?.nanos ?? 0) / 1e6;
}
