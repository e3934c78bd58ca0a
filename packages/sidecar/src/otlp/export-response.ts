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
 * The 200 answer: an `ExportMetricsServiceResponse`, with `partial_success` when points were rejected.
 * @example exportResponse(JSON_ENCODING, 0, '') // 200, body {}
 */
export function exportResponse(encoding: OtlpEncoding, rejected: number, message: string): Response {
  let body: Uint8Array | string;
  if (encoding.kind === 'json') {
    body =
      rejected === 0 && message === ''
        ? '{}'
        : JSON.stringify({ partialSuccess: { rejectedDataPoints: String(rejected), errorMessage: message } });
  } else {
    body = rejected === 0 && message === '' ? new Uint8Array(0) : lengthDelimited(1, pair(rejected, message));
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
  const body = encoding.kind === 'json' ? JSON.stringify({ code, message }) : pair(code, message);
  return new Response(body, {
    status: httpStatus,
    headers: { ...headers, 'content-type': encoding.mediaType },
  });
}

/** A message with an integer field 1 and a string field 2 (the shape of both Status and PartialSuccess). */
function pair(value: number, text: string): Uint8Array {
  const parts: number[] = [];
  if (value !== 0) {
    parts.push(0x08);
    pushVarint(parts, value);
  }
  const head = Uint8Array.from(parts);
  if (text === '') return head;
  const tail = lengthDelimited(2, Buffer.from(text, 'utf8'));
  return Buffer.concat([head, tail]);
}

function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  const head: number[] = [(field << 3) | 2];
  pushVarint(head, payload.byteLength);
  return Buffer.concat([Uint8Array.from(head), payload]);
}

function pushVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}
