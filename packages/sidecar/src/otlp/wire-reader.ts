import { isUtf8 } from 'node:buffer';
import { MalformedBodyError } from '../plugin-api/errors.ts';

const TWO_32 = 4294967296;
/** Deepest nesting of unknown groups skipped (deeper is malformed, not a stack overflow). */
const MAX_GROUP_DEPTH = 64;

/**
 * Protobuf wire types (the low 3 bits of a tag).
 * @example (tag & 7) === WireType.Len
 */
export const WireType = { Varint: 0, Fixed64: 1, Len: 2, StartGroup: 3, EndGroup: 4, Fixed32: 5 } as const;

/**
 * A protobuf wire-format cursor over one buffer: varints, fixed-width words, length-delimited ranges and
 * skipping of unknown fields (groups included). 64-bit values are read as two unsigned 32-bit words
 * (`lo`, `hi`) so that no BigInt is made unless a caller needs one. Every read is bounds-checked and a
 * violation throws {@link MalformedBodyError}.
 * @example
 * const r = new WireReader(bytes);
 * while (r.pos < r.length) { const tag = r.varint32(); r.skip(tag); }
 */
export class WireReader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  readonly length: number;
  pos = 0;
  /** Low word of the last {@link varint64} or {@link fixed64}. */
  lo = 0;
  /** High word of the last {@link varint64} or {@link fixed64}. */
  hi = 0;
  private readonly bytes: Buffer;
  private groupDepth = 0;

  constructor(bytes: Uint8Array) {
    this.buf = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.byteLength;
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Reads a varint and returns its low 32 bits as an unsigned number (tags, lengths, enums, uint32). */
  varint32(): number {
    const b = this.buf;
    let p = this.pos;
    if (p >= this.length) throw truncated(p);
    let byte = b[p++]!;
    if (byte < 0x80) {
      this.pos = p;
      return byte;
    }
    let value = byte & 0x7f;
    for (let shift = 7; shift < 32; shift += 7) {
      if (p >= this.length) throw truncated(p);
      byte = b[p++]!;
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p;
        return value >>> 0;
      }
    }
    // Bytes 6 to 10 only carry bits above 32, which a 32-bit field drops.
    for (let i = 0; i < 5; i++) {
      if (p >= this.length) throw truncated(p);
      if (b[p++]! < 0x80) {
        this.pos = p;
        return value >>> 0;
      }
    }
    throw new MalformedBodyError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** Reads a varint of up to 64 bits into {@link lo} and {@link hi}. */
  varint64(): void {
    const b = this.buf;
    let p = this.pos;
    let lo = 0;
    let byte = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (p >= this.length) throw truncated(p);
      byte = b[p++]!;
      lo |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.finish64(p, lo, 0);
        return;
      }
    }
    if (p >= this.length) throw truncated(p);
    byte = b[p++]!;
    lo |= (byte & 0x0f) << 28;
    let hi = (byte & 0x7f) >> 4;
    if (byte < 0x80) {
      this.finish64(p, lo, hi);
      return;
    }
    for (let shift = 3; shift < 32; shift += 7) {
      if (p >= this.length) throw truncated(p);
      byte = b[p++]!;
      hi |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.finish64(p, lo, hi);
        return;
      }
    }
    throw new MalformedBodyError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  private finish64(p: number, lo: number, hi: number): void {
    this.pos = p;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** Reads a little-endian fixed64 into {@link lo} and {@link hi}. */
  fixed64(): void {
    const p = this.pos;
    if (p + 8 > this.length) throw truncated(p);
    this.lo = this.view.getUint32(p, true);
    this.hi = this.view.getUint32(p + 4, true);
    this.pos = p + 8;
  }

  /** Reads a little-endian fixed32 (unsigned). */
  fixed32(): number {
    const p = this.pos;
    if (p + 4 > this.length) throw truncated(p);
    this.pos = p + 4;
    return this.view.getUint32(p, true);
  }

  /** Reads a little-endian double. */
  double(): number {
    const p = this.pos;
    if (p + 8 > this.length) throw truncated(p);
    this.pos = p + 8;
    return this.view.getFloat64(p, true);
  }

  /** Reads a length prefix and returns the end of the range it announces, checked against `end`. */
  lengthEnd(end: number): number {
    const len = this.varint32();
    const stop = this.pos + len;
    if (stop > end) throw new MalformedBodyError(`length ${len} at byte ${this.pos} runs past its message`);
    return stop;
  }

  /** The safe integer in {@link lo}/{@link hi}, or -1 when it is 2^53 or more. */
  safeUint(): number {
    return this.hi < 0x200000 ? this.hi * TWO_32 + this.lo : -1;
  }

  /** Skips the value of a field whose tag was just read. */
  skip(tag: number): void {
    if (tag >>> 3 === 0) throw new MalformedBodyError(`field number 0 at byte ${this.pos}`);
    switch (tag & 7) {
      case WireType.Varint:
        this.varint32();
        return;
      case WireType.Fixed64:
        this.advance(8);
        return;
      case WireType.Len:
        this.pos = this.lengthEnd(this.length);
        return;
      case WireType.Fixed32:
        this.advance(4);
        return;
      case WireType.StartGroup:
        this.skipGroup(tag >>> 3);
        return;
      default:
        throw new MalformedBodyError(`invalid wire type ${tag & 7} at byte ${this.pos}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.length) throw truncated(this.pos);
    this.pos += n;
  }

  private skipGroup(field: number): void {
    if (++this.groupDepth > MAX_GROUP_DEPTH) {
      throw new MalformedBodyError(`groups nested deeper than ${MAX_GROUP_DEPTH} levels`);
    }
    for (;;) {
      const tag = this.varint32();
      if ((tag & 7) === WireType.EndGroup) {
        if (tag >>> 3 !== field) throw new MalformedBodyError(`mismatched end group at byte ${this.pos}`);
        this.groupDepth--;
        return;
      }
      this.skip(tag);
    }
  }

  /** A multiplicative hash of the bytes in `[start, end)`, four at a time. */
  hash(start: number, end: number): number {
    const view = this.view;
    let h = 0x811c9dc5 ^ (end - start);
    let i = start;
    for (; i + 4 <= end; i += 4) h = Math.imul(h ^ view.getInt32(i, true), 0x01000193) ^ (h >>> 15);
    for (; i < end; i++) h = Math.imul(h ^ view.getUint8(i), 0x01000193);
    return h;
  }

  /** Whether `[a, aEnd)` and `[b, bEnd)` hold the same bytes. */
  sameBytes(a: number, aEnd: number, b: number, bEnd: number): boolean {
    const view = this.view;
    const n = aEnd - a;
    if (n !== bEnd - b) return false;
    let i = 0;
    for (; i + 4 <= n; i += 4) if (view.getInt32(a + i, true) !== view.getInt32(b + i, true)) return false;
    for (; i < n; i++) if (view.getUint8(a + i) !== view.getUint8(b + i)) return false;
    return true;
  }

  /** Throws unless the cursor stopped exactly at `end`. */
  expectEnd(end: number): void {
    if (this.pos !== end) throw new MalformedBodyError(`field overruns its message at byte ${this.pos}`);
  }

  /** Decodes a UTF-8 string in `[start, end)`; invalid UTF-8 is malformed (as in protobuf's proto3 strings). */
  text(start: number, end: number): string {
    const b = this.buf;
    if (end - start <= 24) {
      let out = '';
      for (let i = start; i < end; i++) {
        const c = b[i]!;
        if (c >= 0x80) return this.utf8(start, end);
        out += String.fromCharCode(c);
      }
      return out;
    }
    return this.utf8(start, end);
  }

  private utf8(start: number, end: number): string {
    if (!isUtf8(this.buf.subarray(start, end))) {
      throw new MalformedBodyError(`invalid UTF-8 in a string field at byte ${start}`);
    }
    return this.bytes.toString('utf8', start, end);
  }
}

function truncated(at: number): MalformedBodyError {
  return new MalformedBodyError(`message truncated at byte ${at}`);
}
