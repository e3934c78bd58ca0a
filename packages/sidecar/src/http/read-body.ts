import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BodyTooLargeError, MalformedBodyError, SidecarError, UnsupportedMediaTypeError } from '../errors.ts';

/** Limits of {@link readBody}. */
export interface ReadBodyOptions {
  /** Most bytes on the wire and, for gzip, once inflated. */
  maxBytes: number;
  /** Accept `Content-Encoding: gzip` (default true). */
  allowGzip?: boolean;
}

/**
 * Reads a request body while counting bytes: a `Content-Length` above the limit is refused before reading,
 * a chunked body is stopped as soon as it passes the limit, and a gzip body is stopped as soon as its
 * inflated size does (so neither the wire nor a zip bomb can exceed `maxBytes` in memory).
 * @throws BodyTooLargeError (413), UnsupportedMediaTypeError for other encodings (415), MalformedBodyError
 * for corrupt gzip data (400).
 * @example const bytes = await readBody(c.req.raw, { maxBytes: 16 * 1024 * 1024 });
 */
export async function readBody(request: Request, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes } = options;
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const gzip = encoding === 'gzip' || encoding === 'x-gzip';
  if (encoding !== 'identity' && !(gzip && options.allowGzip !== false)) {
    throw new UnsupportedMediaTypeError(`content encoding ${encoding} is not supported (use gzip or none)`);
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  if (!request.body) return Buffer.alloc(0);
  const wire = limitedChunks(request.body, maxBytes);
  if (!gzip) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of wire) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  const inflated: Buffer[] = [];
  let size = 0;
  let limitError: SidecarError | undefined;
  try {
    await pipeline(Readable.from(wire), createGunzip(), async (stream: AsyncIterable<Buffer>) => {
      for await (const chunk of stream) {
        size += chunk.length;
        if (size > maxBytes) {
          limitError = new BodyTooLargeError(maxBytes);
          throw limitError;
        }
        inflated.push(chunk);
      }
    });
  } catch (error) {
    // pipeline may report the teardown (AbortError) instead of the error that caused it.
    if (limitError) throw limitError;
    if (error instanceof SidecarError) throw error;
    throw new MalformedBodyError('the body is not valid gzip data', { cause: error });
  }
  return Buffer.concat(inflated);
}

async function* limitedChunks(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > maxBytes) throw new BodyTooLargeError(maxBytes);
      yield value;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
