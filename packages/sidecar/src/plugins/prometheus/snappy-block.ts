import { BodyTooLargeError, MalformedBodyError } from '../../plugin-api/errors.ts';

/*
 * Snappy's block format (https://github.com/google/snappy/blob/main/format_description.txt), which Prometheus
 * remote_write uses (`snappy.Encode`, not the framed stream format). Our own decoder rather than snappyjs'
 * `uncompress`: that one accepts a truncated or overlong stream (it pads with zeros or drops bytes) and copies
 * byte by byte; this one checks every element and the declared length, and copies literals with `set`.
 */

/** Copies longer than this go through `set`/`copyWithin`; shorter ones (most of them) are cheaper in a loop. */
const LONG = 32;

/**
 * The uncompressed length a snappy block declares (its varint preamble), and where the elements start.
 * @throws MalformedBodyError when the preamble is missing or longer than 32 bits.
 */
function preamble(src: Uint8Array): { length: number; start: number } {
  let length = 0;
  for (let i = 0, shift = 0; i < 5 && i < src.length; i++, shift += 7) {
    const byte = src[i] as number;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) {
      if (length > 0xffffffff) break;
      return { length, start: i + 1 };
    }
  }
  throw new MalformedBodyError('invalid snappy block: bad length preamble');
}

/**
 * Decompresses a snappy block, refusing it before any work when it declares more than `maxBytes`.
 * @throws BodyTooLargeError over `maxBytes`; MalformedBodyError for a corrupt, truncated or overlong block.
 * @example uncompressSnappyBlock(await readBody(c, limit), limit)
 */
export function uncompressSnappyBlock(src: Uint8Array, maxBytes: number): Uint8Array {
  const { length, start } = preamble(src);
  if (length > maxBytes) throw new BodyTooLargeError(maxBytes);
  const out = new Uint8Array(length);
  const n = src.length;
  let pos = start;
  let o = 0;
  while (pos < n) {
    const tag = src[pos++] as number;
    let len: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        len = (tag >>> 2) + 1;
        if (len > 60) {
          const bytes = len - 60;
          if (pos + bytes > n) throw corrupt('literal length runs past the end');
          len = 0;
          for (let i = bytes - 1; i >= 0; i--) len = len * 256 + (src[pos + i] as number);
          len += 1;
          pos += bytes;
        }
        if (pos + len > n) throw corrupt('literal runs past the end');
        if (o + len > length) throw corrupt('more data than the declared length');
        if (len > LONG) out.set(src.subarray(pos, pos + len), o);
        else for (let i = 0; i < len; i++) out[o + i] = src[pos + i] as number;
        pos += len;
        o += len;
        continue;
      }
      case 1:
        if (pos >= n) throw corrupt('copy runs past the end');
        len = ((tag >>> 2) & 7) + 4;
        offset = ((tag >>> 5) << 8) | (src[pos++] as number);
        break;
      case 2:
        if (pos + 2 > n) throw corrupt('copy runs past the end');
        len = (tag >>> 2) + 1;
        offset = (src[pos] as number) | ((src[pos + 1] as number) << 8);
        pos += 2;
        break;
      default:
        if (pos + 4 > n) throw corrupt('copy runs past the end');
        len = (tag >>> 2) + 1;
        offset =
          ((src[pos] as number) |
            ((src[pos + 1] as number) << 8) |
            ((src[pos + 2] as number) << 16) |
            ((src[pos + 3] as number) << 24)) >>>
          0;
        pos += 4;
    }
    if (offset === 0 || offset > o) throw corrupt('copy offset outside the data');
    if (o + len > length) throw corrupt('more data than the declared length');
    // Byte by byte also where the copy overlaps its own output (offset < len: a repeated pattern).
    if (len > LONG && offset >= len) out.copyWithin(o, o - offset, o - offset + len);
    else for (let i = 0; i < len; i++) out[o + i] = out[o + i - offset] as number;
    o += len;
  }
  if (o !== length) throw corrupt(`${o} bytes instead of the declared ${length}`);
  return out;
}

function corrupt(what: string): MalformedBodyError {
  return new MalformedBodyError(`invalid snappy block: ${what}`);
}
