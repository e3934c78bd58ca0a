import type { Context } from 'hono';
import { readBody } from '../../http/body-reader.ts';
import { logErrorReply } from '../../http/error-handler.ts';
import { errorReply } from '../../http/error-reply.ts';
import { contentCoding, inflateBody } from '../../http/inflate-body.ts';
import { otlpErrorResponse } from '../../otlp/error-response.ts';
import { exportResponse, JSON_ENCODING, type OtlpEncoding } from '../../otlp/export-response.ts';
import type { OtlpSignalCodec } from '../../otlp/otlp-signals.ts';
import { type ExportStore, storeExport } from '../../otlp/store-export.ts';
import { UnsupportedMediaTypeError } from '../../plugin-api/errors.ts';
import type { Counter } from '../../plugin-api/plugin.ts';

/** What an OTLP/HTTP export handler needs. */
export interface ExportHandlerDeps extends ExportStore {
  /** Largest body accepted, on the wire and once inflated. */
  maxBodyBytes: number;
  /** Requests by signal and HTTP status. */
  requests: Counter;
}

const PROTOBUF_TYPES = new Set(['application/x-protobuf', 'application/protobuf']);

/**
 * The `POST /v1/metrics` or `POST /v1/logs` handler: content negotiation, bounded body reading and inflating,
 * decoding, one group-committed write, and an answer in the request's encoding. It answers 200 only once the
 * items are committed.
 * @example app.post('/v1/logs', createExportHandler(deps, OTLP_SIGNALS.logs));
 */
export function createExportHandler(
  deps: ExportHandlerDeps,
  codec: OtlpSignalCodec,
): (c: Context) => Promise<Response> {
  return async (c) => {
    const response = await handle(c, deps, codec);
    deps.requests.inc(1, { signal: codec.signal, status: String(response.status) });
    return response;
  };
}

async function handle(c: Context, deps: ExportHandlerDeps, codec: OtlpSignalCodec): Promise<Response> {
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
      encoding.kind === 'protobuf' ? codec.decodeProtobuf(body) : codec.decodeJson(jsonText(body));
    await storeExport(deps, decoded, {
      signal: codec.signal,
      encoding: encoding.kind,
      body,
      ...(coding === 'gzip' ? { gzipBody: wire } : {}),
    });
    return exportResponse(encoding, decoded.rejected, decoded.rejectReason, codec.rejectedField);
  } catch (error) {
    const reply = errorReply(error);
    logErrorReply(deps.logger, reply, error, { method: 'POST', path: codec.path });
    return otlpErrorResponse(encoding ?? JSON_ENCODING, reply);
  }
}

/** The body as text, without a byte order mark. */
function jsonText(body: Buffer): string {
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  return body.toString('utf8', start);
}
