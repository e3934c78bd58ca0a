import type { Database } from '@duckside/core';
import type { Context } from 'hono';
import { UnsupportedMediaTypeError } from '../../errors.ts';
import { readBody } from '../../http/body-reader.ts';
import { logErrorReply } from '../../http/error-handler.ts';
import { errorReply } from '../../http/error-reply.ts';
import { contentCoding, inflateBody } from '../../http/inflate-body.ts';
import { otlpErrorResponse } from '../../otlp/error-response.ts';
import { exportResponse, JSON_ENCODING, type OtlpEncoding } from '../../otlp/export-response.ts';
import { decodeJsonMetrics } from '../../otlp/json-metrics-decoder.ts';
import { decodeProtobufMetrics } from '../../otlp/protobuf-metrics-decoder.ts';
import type { Counter, Logger } from '../../plugin.ts';

/** What the `/v1/metrics` handler needs. */
export interface MetricsHandlerDeps {
  db: Database;
  logger: Logger;
  /** Largest body accepted, on the wire and once inflated. */
  maxBodyBytes: number;
  /** Points committed. */
  ingested: Counter;
  /** Points refused (partial success, or refused by the database). */
  rejected: Counter;
  /** Requests by HTTP status. */
  requests: Counter;
}

const PROTOBUF_TYPES = new Set(['application/x-protobuf', 'application/protobuf']);
const LABELS = Object.freeze({ signal: 'metrics' });

/**
 * The `POST /v1/metrics` handler: content negotiation, bounded body reading and inflating, decoding, one
 * group-committed write, and an answer in the request's encoding. It answers 200 only once the points are
 * committed.
 * @example app.post('/v1/metrics', createMetricsHandler({ db, logger, maxBodyBytes, ingested, rejected, requests }));
 */
export function createMetricsHandler(deps: MetricsHandlerDeps): (c: Context) => Promise<Response> {
  return async (c) => {
    const response = await handle(c, deps);
    deps.requests.inc(1, { signal: 'metrics', status: String(response.status) });
    return response;
  };
}

async function handle(c: Context, deps: MetricsHandlerDeps): Promise<Response> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const encoding: OtlpEncoding | undefined = PROTOBUF_TYPES.has(mediaType)
    ? { kind: 'protobuf', mediaType }
    : mediaType === 'application/json'
      ? JSON_ENCODING
      : undefined;
  try {
    if (!encoding) {
      throw new UnsupportedMediaTypeError(
        `content type ${mediaType || '(none)'} is not supported (use application/x-protobuf or application/json)`,
      );
    }
    const coding = contentCoding(c.req.header('content-encoding'));
    const wire = await readBody(c, deps.maxBodyBytes);
    const body = await inflateBody(wire, coding, deps.maxBodyBytes);
    const decoded =
      encoding.kind === 'protobuf' ? decodeProtobufMetrics(body) : decodeJsonMetrics(jsonText(body));
    const size = decoded.batch.size;
    if (size > 0) await deps.db.writeMetricBatch(decoded.batch);
    if (size > 0) deps.ingested.inc(size, LABELS);
    if (decoded.rejected > 0) {
      deps.rejected.inc(decoded.rejected, LABELS);
      deps.logger.warn('otlp data points rejected', {
        rejected: decoded.rejected,
        reason: decoded.rejectReason,
      });
    }
    return exportResponse(encoding, decoded.rejected, decoded.rejectReason);
  } catch (error) {
    const reply = errorReply(error);
    logErrorReply(deps.logger, reply, error, { method: 'POST', path: '/v1/metrics' });
    return otlpErrorResponse(encoding ?? JSON_ENCODING, reply);
  }
}

/** The body as text, without a byte order mark. */
function jsonText(body: Buffer): string {
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  return body.toString('utf8', start);
}
