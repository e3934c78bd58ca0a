import { z } from 'zod';
import { MethodNotAllowedError } from '../errors.ts';
import { errorReply } from '../http/error-reply.ts';
import type { DucksidePlugin } from '../plugin.ts';
import { otlpErrorResponse } from './error-response.ts';
import { JSON_ENCODING } from './export-response.ts';
import { createMetricsHandler } from './metrics-handler.ts';

/**
 * Default limit of a request body, on the wire and once inflated: 16 MiB.
 * @example createOtlpPlugin({ maxBodyBytes: DEFAULT_MAX_BODY_BYTES / 2 })
 */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Options of the OTLP receiver (also read from config `plugins.otlp`; explicit options win). */
export interface OtlpPluginOptions {
  /** Largest body accepted, on the wire and once inflated (default 16 MiB). */
  maxBodyBytes?: number;
}

const optionsSchema = z.object({ maxBodyBytes: z.number().int().positive().optional() });

/**
 * The OTLP/HTTP receiver plugin: `POST /v1/metrics` (protobuf or JSON, gzip, deflate or identity) stores every
 * data point through core's group-commit writer and answers once they are committed; other methods get 405.
 * @example
 * const app = await createApp({ db, plugins: [createOtlpPlugin({ maxBodyBytes: 8 * 1024 * 1024 })] });
 */
export function createOtlpPlugin(options: OtlpPluginOptions = {}): DucksidePlugin {
  return {
    name: 'otlp',
    setup(ctx) {
      const fromConfig = optionsSchema.parse(ctx.options ?? {});
      const explicit = optionsSchema.parse(options);
      const maxBodyBytes = explicit.maxBodyBytes ?? fromConfig.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      const handler = createMetricsHandler({
        db: ctx.db,
        logger: ctx.logger,
        maxBodyBytes,
        ingested: ctx.metrics.counter('duckside_otlp_points_ingested_total', 'OTLP data points committed'),
        rejected: ctx.metrics.counter(
          'duckside_otlp_points_rejected_total',
          'OTLP data points rejected because they cannot be stored (reported as partial success)',
        ),
        requests: ctx.metrics.counter('duckside_otlp_requests_total', 'OTLP export requests by HTTP status'),
      });
      ctx.app.post('/v1/metrics', handler);
      ctx.app.all('/v1/metrics', () =>
        otlpErrorResponse(JSON_ENCODING, errorReply(new MethodNotAllowedError('/v1/metrics', ['POST']))),
      );
    },
  };
}
