import { bytesField, message, stringField, varintField } from './protobuf-writer.ts';

/** The body encoding of an OTLP/HTTP exchange: the response uses the request's. */
export interface OtlpEncoding {
  kind: 'protobuf' | 'json';
  /** The media type to answer with (the request's, e.g. `application/x-protobuf`). */
  mediaType: string;
}

/**
 * JSON, for answers to requests whose encoding is unknown (405, 415).
 * @example statusResponse(JSON_ENCODING, 405, GrpcCode.Unimplemented, 'use POST')
 */
export const JSON_ENCODING: OtlpEncoding = Object.freeze({ kind: 'json', mediaType: 'application/json' });

/**
 * The protobuf bytes of an `ExportMetricsServiceResponse` (or `ExportLogsServiceResponse`: same shape): empty
 * for a full success, else `partial_success` with the rejected count and message.
 * @example encodeExportResponse(2, 'count beyond 2^53') // 0a .. 08 02 12 ..
 */
export function encodeExportResponse(rejected: number, message: string): Uint8Array {
  if (rejected === 0 && message === '') return new Uint8Array(0);
  return bytesField(1, codeAndMessage(rejected, message), true);
}

/**
 * The protobuf bytes of a `google.rpc.Status` with `code` and `message`, followed by `details` (already
 * encoded `Any` messages, field 3).
 * @example encodeStatus(GrpcCode.InvalidArgument, 'truncated message')
 */
export function encodeStatus(code: number, text: string, details: readonly Uint8Array[] = []): Uint8Array {
  return message(codeAndMessage(code, text), ...details.map((d) => bytesField(3, d, true)));
}

/**
 * The 200 answer: an `ExportMetricsServiceResponse` (or `ExportLogsServiceResponse`), with `partial_success`
 * when items were rejected; `rejectedField` names the JSON count (`rejectedLogRecords` for logs).
 * @example exportResponse(JSON_ENCODING, 0, '') // 200, body {}
 */
export function exportResponse(
  encoding: OtlpEncoding,
  rejected: number,
  message: string,
  rejectedField = 'rejectedDataPoints',
): Response {
  let body: Uint8Array | string;
  if (encoding.kind === 'json') {
    body =
      rejected === 0 && message === ''
        ? '{}'
        : JSON.stringify({ partialSuccess: { [rejectedField]: String(rejected), errorMessage: message } });
  } else {
    body = encodeExportResponse(rejected, message);
  }
  return new Response(body, { status: 200, headers: { 'content-type': encoding.mediaType } });
}

/**
 * An error answer with a `google.rpc.Status` body (`code`, `message`).
 * @example statusResponse(JSON_ENCODING, 415, GrpcCode.InvalidArgument, 'unsupported content type')
 */
export function statusResponse(
  encoding: OtlpEncoding,
  httpStatus: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body = encoding.kind === 'json' ? JSON.stringify({ code, message }) : encodeStatus(code, message);
  return new Response(body, {
    status: httpStatus,
    headers: { ...headers, 'content-type': encoding.mediaType },
  });
}

/** Field 1 an integer, field 2 a string: the head of both Status and PartialSuccess. */
function codeAndMessage(value: number, text: string): Uint8Array {
  return message(varintField(1, value), stringField(2, text));
}
