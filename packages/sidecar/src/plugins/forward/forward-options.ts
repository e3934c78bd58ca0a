import { z } from 'zod';

/** Default cap of one upstream's queue: 256 MiB. */
export const DEFAULT_QUEUE_MAX_BYTES = 256 * 1024 * 1024;

const headerMap = z.record(z.string().min(1), z.string());

/** One upstream: its OTLP/HTTP metrics endpoint, headers, gzip and what it receives. */
export const upstreamOptions = z.strictObject({
  /** The metrics endpoint, e.g. `http://collector:4318/v1/metrics` (no path: `/v1/metrics`); logs go to `/v1/logs` beside it. */
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  /** Queue folder and `upstream` label (default: host, port and a hash of the URL). */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'expected 1..64 letters, digits, ".", "_" or "-"')
    .optional(),
  /** Headers sent with every request (e.g. `authorization`). */
  headers: headerMap.default({}),
  /** Gzip request bodies (default on). */
  gzip: z.boolean().default(true),
  /** Metric names to forward (globs with `*` and `?`); empty forwards all. */
  include: z.array(z.string().min(1)).default([]),
  /** Metric names not to forward (globs), applied after `include`. */
  exclude: z.array(z.string().min(1)).default([]),
  /** Resource attributes a resource must have, with these values, to be forwarded (metrics and logs). */
  resource: z.record(z.string().min(1), z.string()).default({}),
});

/** The forward plugin's options (config `plugins.forward`; `--forward-otlp` and friends feed it). */
export const forwardOptions = z.strictObject({
  /** Upstreams: URLs, or objects with headers and filters. */
  upstreams: z
    .array(
      z
        .union([z.string().transform((url) => ({ url })), z.record(z.string(), z.unknown())])
        .pipe(upstreamOptions),
    )
    .default([]),
  /** Headers sent to every upstream (an upstream's own `headers` win), from `--forward-otlp-header`. */
  headers: headerMap.default({}),
  /** Folder of the queues, one sub-folder per upstream (default `<database>.forward`). */
  queueDir: z.string().min(1).optional(),
  /** Most bytes one upstream's queue holds; requests past it are dropped and counted (default 256 MiB). */
  queueMaxBytes: z.number().int().positive().default(DEFAULT_QUEUE_MAX_BYTES),
  /** Size at which a queue starts a new segment file (default 8 MiB). */
  segmentBytes: z
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  /** Protobuf requests of one signal queued back to back are sent as one, up to this size (default 4 MiB). */
  maxBatchBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  /** Time limit of one upstream request (default 30 s). */
  timeoutMs: z.number().int().positive().default(30_000),
  /** First retry delay; doubled per failed attempt up to `maxBackoffMs` (defaults 250 ms and 30 s). */
  initialBackoffMs: z.number().int().positive().default(250),
  maxBackoffMs: z.number().int().positive().default(30_000),
  /** Longest `Retry-After` honoured (default 5 min); longer ones wait this long. */
  maxRetryAfterMs: z.number().int().positive().default(300_000),
});

/** The forward plugin's parsed options. */
export type ForwardOptions = z.output<typeof forwardOptions>;
/** One parsed upstream. */
export type UpstreamOptions = z.output<typeof upstreamOptions>;
