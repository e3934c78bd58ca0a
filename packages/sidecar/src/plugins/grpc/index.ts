import { z } from 'zod';
import { readTlsFiles } from '../../config/tls-files.ts';
import { createExportCall } from '../../grpc/export-call.ts';
import { type RunningGrpcServer, startGrpcServer } from '../../grpc/grpc-server.ts';
import { DEFAULT_GRPC_PORT, otlpExportService } from '../../grpc/otlp-services.ts';
import { bearerTokenCheck } from '../../http/bearer-token.ts';
import { encodeExportResponse } from '../../otlp/export-response.ts';
import { OTLP_SIGNALS } from '../../otlp/otlp-signals.ts';
import { exportStoreCounters, storeExport } from '../../otlp/store-export.ts';
import type { DucksidePlugin } from '../../plugin-api/plugin.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../otlp/index.ts';

/** Options of the OTLP/gRPC receiver (config `plugins.grpc`; the sidecar lays its address, `--grpc-port`, token and OTLP size limit over it). */
const grpcOptions = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(DEFAULT_GRPC_PORT),
  /** The bearer token clients must send as `authorization` metadata (as over HTTP). */
  token: z.string().min(16).optional(),
  /** Largest request message, on the wire and decompressed (default 16 MiB, as OTLP/HTTP). */
  maxMessageBytes: z.number().int().positive().default(DEFAULT_MAX_BODY_BYTES),
  /** PEM certificate and key files (`--tls-cert`, `--tls-key`): serve over TLS, as the HTTP server does. */
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  /** How long calls in flight get to finish at shutdown. */
  shutdownGraceMs: z.number().int().min(0).default(5000),
});

/** The gRPC receiver's parsed options. */
export type GrpcPluginOptions = z.output<typeof grpcOptions>;

/**
 * The OTLP/gRPC receiver plugin: a grpc-js server beside the HTTP one (same address, port 4317 by default)
 * serving `opentelemetry.proto.collector.metrics.v1.MetricsService/Export` and
 * `opentelemetry.proto.collector.logs.v1.LogsService/Export`. Request messages (identity, gzip or deflate) are
 * decoded by the same wire decoders as OTLP/HTTP protobuf and committed through core's group-commit writer (log
 * records into `system_events`) before the call answers `OK`; failures answer from the shared reply table. It
 * logs `otlp grpc listening` with the bound port once started.
 * @example duckside --grpc-port 4317   # or --disable-plugin grpc
 */
export const grpcPlugin: DucksidePlugin<GrpcPluginOptions> = {
  name: 'grpc',
  options: grpcOptions,
  setup(ctx) {
    const o = ctx.options;
    const store = { db: ctx.db, logger: ctx.logger, hooks: ctx.otlp, ...exportStoreCounters(ctx.metrics) };
    const requests = ctx.metrics.counter(
      'duckside_otlp_grpc_requests_total',
      'OTLP/gRPC export calls by signal and status code',
    );
    const checkToken = o.token === undefined ? {} : { checkToken: bearerTokenCheck(o.token) };
    const services = Object.values(OTLP_SIGNALS).map((codec) => ({
      definition: otlpExportService(codec.signal),
      implementation: {
        Export: createExportCall({
          signal: codec.signal,
          logger: ctx.logger,
          maxMessageBytes: o.maxMessageBytes,
          requests,
          ...checkToken,
          async store(message) {
            const decoded = codec.decodeProtobuf(message);
            await storeExport(store, decoded, { signal: codec.signal, encoding: 'protobuf', body: message });
            return encodeExportResponse(decoded.rejected, decoded.rejectReason);
          },
        }),
      },
    }));
    let server: RunningGrpcServer | undefined;
    const tls = readTlsFiles(o.tlsCert, o.tlsKey);
    ctx.onStart(async () => {
      server = await startGrpcServer({
        ...(tls ? { tls } : {}),
        host: o.host,
        port: o.port,
        maxMessageBytes: o.maxMessageBytes,
        services,
      });
      ctx.logger.info('otlp grpc listening', { host: o.host, port: server.port, tls: tls !== undefined });
    });
    ctx.onStop(async () => {
      await server?.close(o.shutdownGraceMs);
    });
  },
};
