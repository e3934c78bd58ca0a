import { z } from 'zod';
import { errorReply } from '../../http/error-reply.ts';
import { otlpErrorResponse } from '../../otlp/error-response.ts';
import { JSON_ENCODING } from '../../otlp/export-response.ts';
import { OTLP_SIGNALS } from '../../otlp/otlp-signals.ts';
import { exportStoreCounters } from '../../otlp/store-export.ts';
import { MethodNotAllowedError } from '../../plugin-api/errors.ts';
import type { DucksidePlugin } from '../../plugin-api/plugin.ts';
import { createExportHandler } from './export-handler.ts';

/**
 * Default limit of a request body, on the wire and once inflated: 16 MiB.
 * @example configSchema.parse({ plugins: { otlp: { maxBodyBytes: DEFAULT_MAX_BODY_BYTES / 2 } } })
 */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Options of the OTLP receiver (from `--otlp-max-body-size`, or config `plugins.otlp`). */
const otlpOptions = z.strictObject({
  /** Largest body accepted, on the wire and once inflated (default 16 MiB). */
  maxBodyBytes: z.number().int().positive().default(DEFAULT_MAX_BODY_BYTES),
});

/** The OTLP receiver's parsed options. */
export type OtlpPluginOptions = z.output<typeof otlpOptions>;

/**
 * The OTLP/HTTP receiver plugin: `POST /v1/metrics` and `POST /v1/logs` (protobuf or JSON, gzip, deflate or
 * identity) store every data point or log record through core's group-commit writer (log records into
 * `system_events`) and answer once they are committed; other methods get 405.
 * @example const app = await createApp({ db, config: configSchema.parse({ plugins: { otlp: { maxBodyBytes: 8388608 } } }) });
 */
export const otlpPlugin: DucksidePlugin<OtlpPluginOptions> = {
  name: 'otlp',
  options: otlpOptions,
  setup(ctx) {
    const deps = {
      db: ctx.db,
      logger: ctx.logger,
      hooks: ctx.otlp,
      maxBodyBytes: ctx.options.maxBodyBytes,
      ...exportStoreCounters(ctx.metrics),
      requests: ctx.metrics.counter('duckside_otlp_requests_total', 'OTLP export requests by HTTP status'),
    };
    for (const codec of Object.values(OTLP_SIGNALS)) {
      ctx.app.post(codec.path, createExportHandler(deps, codec));
      ctx.app.all(codec.path, () =>
        otlpErrorResponse(JSON_ENCODING, errorReply(new MethodNotAllowedError(codec.path, ['POST']))),
      );
    }
  },
};
