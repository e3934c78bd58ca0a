import { promisify } from 'node:util';
import { gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';
import { BodyTooLargeError, MalformedBodyError, UnsupportedMediaTypeError } from '../plugin-api/errors.ts';

const gunzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gunzip);
const inflateAsync = promisify<Buffer, ZlibOptions, Buffer>(inflate);
const inflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(inflateRaw);

/** A `Content-Encoding` the receiver accepts. */
export type ContentCoding = 'identity' | 'gzip' | 'deflate';

/**
 * Parses a `Content-Encoding` header: absent, `identity`, `gzip` (or `x-gzip`) and `deflate`.
 * @throws UnsupportedMediaTypeError for anything else (HTTP 415).
 * @example contentCoding('GZIP') // 'gzip'
 */
export function contentCoding(header: string | undefined): ContentCoding {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  throw new UnsupportedMediaTypeError(
    `content encoding ${value} is not supported (use gzip, deflate or identity)`,
  );
}

/**
 * Inflates a compressed body on the libuv pool, stopping as soon as the output passes `limit` bytes (a
 * compression bomb costs at most `limit` bytes of work). `deflate` accepts zlib-wrapped and raw streams.
 * @throws BodyTooLargeError past the limit; MalformedBodyError for corrupt or truncated data.
 * @example const body = await inflateBody(raw, 'gzip', 16 * 1024 * 1024);
 */
export async function inflateBody(body: Buffer, coding: ContentCoding, limit: number): Promise<Buffer> {
  if (coding === 'identity') return body;
  const options: ZlibOptions = { maxOutputLength: limit };
  try {
    if (coding === 'gzip') return await gunzipAsync(body, options);
    try {
      return await inflateAsync(body, options);
    } catch (error) {
      if ((error as { code?: string }).code !== 'Z_DATA_ERROR') throw error;
      return await inflateRawAsync(body, options);
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new BodyTooLargeError(limit, { cause: error });
    throw new MalformedBodyError(`the ${coding} body could not be decompressed`, { cause: error });
  }
}
