import type { Database } from '@duckside/core';
import type { Context } from 'hono';
import { readBody } from '../../http/body-reader.ts';
import { logErrorReply } from '../../http/error-handler.ts';
import { type ErrorReply, errorReply } from '../../http/error-reply.ts';
import { MethodNotAllowedError, UnsupportedMediaTypeError } from '../../plugin-api/errors.ts';
import type { Counter, Logger, PluginContext } from '../../plugin-api/plugin.ts';
import { MetricMetadataStore } from './metric-metadata.ts';
import { decodeWriteRequest, type RemoteWriteState } from './remote-write-decoder.ts';
import { SeriesContexts } from './remote-write-labels.ts';
import { RemoteWriteSeriesCache } from './remote-write-series-cache.ts';
import { uncompressSnappyBlock } from './snappy-block.ts';

/** The remote_write receiver's path (as in Prometheus with `--web.enable-remote-write-receiver`). */
export const REMOTE_WRITE_PATH = '/api/v1/write';

/** What the remote_write route needs. */
export interface RemoteWriteDeps {
  db: Database;
  logger: Logger;
  /** Metadata and label sets kept across requests. */
  state: RemoteWriteState;
  /** Largest body accepted, compressed on the wire and once decompressed. */
  maxBodyBytes: number;
  /** Requests by HTTP status. */
  requests: Counter;
  /** Samples committed. */
  samples: Counter;
  /** Exemplars received and not stored. */
  exemplars: Counter;
  /** Samples not newer than their series' newest (resent or out of order), not stored. */
  dropped: Counter;
}

const PROTOBUF_TYPES = new Set(['application/x-protobuf', 'application/protobuf', '']);
const WRITE_REQUEST_V1 = 'prometheus.writerequest';

/**
 * The `POST /api/v1/write` handler: Prometheus remote_write 1.0 (snappy block-compressed protobuf
 * `prometheus.WriteRequest`). Answers 204 only once every sample of the request is committed; errors come from
 * the one reply table as plain text (what Prometheus' own receiver answers, and what senders log): 400 for a
 * bad body (nothing of it stored), 413 over the limit, 415 for another content type or encoding (remote_write
 * 2.0 included), 503 with `Retry-After` when the write queue is full (senders retry).
 * @example ctx.app.post(REMOTE_WRITE_PATH, remoteWriteHandler(deps));
 */
export function remoteWriteHandler(deps: RemoteWriteDeps): (c: Context) => Promise<Response> {
  return async (c) => {
    let response: Response;
    try {
      checkHeaders(c);
      const wire = await readBody(c, deps.maxBodyBytes);
      const decoded = decodeWriteRequest(uncompressSnappyBlock(wire, deps.maxBodyBytes), deps.state);
      const size = decoded.batch.size;
      if (size > 0) await deps.db.writeMetricBatch(decoded.batch);
      decoded.committed();
      deps.samples.inc(size);
      if (decoded.dropped > 0) deps.dropped.inc(decoded.dropped);
      if (decoded.exemplars > 0) deps.exemplars.inc(decoded.exemplars);
      response = c.body(null, 204);
    } catch (error) {
      const reply = errorReply(error);
      logErrorReply(deps.logger, reply, error, { method: 'POST', path: REMOTE_WRITE_PATH });
      response = textReply(reply);
    }
    deps.requests.inc(1, { status: String(response.status) });
    return response;
  };
}

/**
 * Registers `POST /api/v1/write` (and 405 for other methods) with the plugin's counters; returns the state kept
 * across requests, whose metadata store also answers `/api/v1/metadata`.
 * @example const { metadata } = registerRemoteWrite(ctx, 16 * 1024 * 1024);
 */
export function registerRemoteWrite(ctx: PluginContext<unknown>, maxBodyBytes: number): RemoteWriteState {
  const state: RemoteWriteState = {
    metadata: new MetricMetadataStore(),
    series: new RemoteWriteSeriesCache(new SeriesContexts()),
  };
  const counter = (name: string, help: string) => ctx.metrics.counter(name, help);
  ctx.app.post(
    REMOTE_WRITE_PATH,
    remoteWriteHandler({
      db: ctx.db,
      logger: ctx.logger,
      state,
      maxBodyBytes,
      requests: counter(
        'duckside_remote_write_requests_total',
        'Prometheus remote_write requests by HTTP status',
      ),
      samples: counter('duckside_remote_write_samples_total', 'Prometheus remote_write samples committed'),
      dropped: counter(
        'duckside_remote_write_samples_dropped_total',
        'Prometheus remote_write samples not newer than their series newest sample (resent or out of order), not stored',
      ),
      exemplars: counter(
        'duckside_remote_write_exemplars_dropped_total',
        'Prometheus remote_write exemplars received and not stored',
      ),
    }),
  );
  ctx.app.all(REMOTE_WRITE_PATH, () =>
    textReply(errorReply(new MethodNotAllowedError(REMOTE_WRITE_PATH, ['POST']))),
  );
  return state;
}

/** Refuses bodies that are not snappy-compressed remote_write 1.0 protobuf. */
function checkHeaders(c: Context): void {
  const [type = '', ...params] = (c.req.header('content-type') ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  const proto = params
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('proto='))
    ?.slice(6);
  if (!PROTOBUF_TYPES.has(mediaType) || (proto !== undefined && proto !== WRITE_REQUEST_V1)) {
    throw new UnsupportedMediaTypeError(
      `content type ${JSON.stringify(c.req.header('content-type'))} is not supported: remote_write 1.0 sends application/x-protobuf (prometheus.WriteRequest)`,
    );
  }
  const coding = (c.req.header('content-encoding') ?? '').trim().toLowerCase();
  if (coding !== '' && coding !== 'snappy') {
    throw new UnsupportedMediaTypeError(
      `content encoding ${JSON.stringify(coding)} is not supported: remote_write bodies are snappy-compressed`,
    );
  }
}

function textReply(reply: ErrorReply): Response {
  return new Response(`${reply.message}\n`, {
    status: reply.status,
    headers: { ...reply.headers, 'content-type': 'text/plain; charset=utf-8' },
  });
}
