import { CopyFormatError } from '../errors/errors.ts';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_FIXED = SIGNATURE.length + 8;

/**
 * Called once per row with the buffer holding it; field `i` is `buffer[starts[i], starts[i] + lengths[i])`,
 * `lengths[i] === -1` for NULL. The buffer is only valid during the call.
 */
export type RowHandler = (buffer: Buffer, starts: Int32Array, lengths: Int32Array) => void;

/**
 * Incremental parser of PostgreSQL's binary COPY format (`COPY ... TO STDOUT (FORMAT binary)`): feed it the
 * stream's chunks in order, whatever their boundaries, and it calls `onRow` for every complete row without
 * copying field bytes.
 * @example
 * const parser = new BinaryCopyParser(3, (buf, starts, lengths) => { ... });
 * for await (const chunk of copyStream) parser.write(chunk);
 * parser.end();
 */
export class BinaryCopyParser {
  /** Rows parsed so far. */
  rows = 0;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  private pending: Buffer | null = null;
  private headerDone = false;
  private trailerSeen = false;

  constructor(
    private readonly fieldCount: number,
    private readonly onRow: RowHandler,
  ) {
    this.starts = new Int32Array(fieldCount);
    this.lengths = new Int32Array(fieldCount);
  }

  /** Parses the complete rows of `chunk` (plus what was left over from earlier chunks). */
  write(chunk: Buffer): void {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = this.headerDone ? 0 : this.readHeader(buffer);
    if (pos < 0) {
      this.pending = buffer;
      return;
    }
    const end = buffer.length;
    const { starts, lengths, fieldCount } = this;
    while (!this.trailerSeen && pos + 2 <= end) {
      const count = buffer.readInt16BE(pos);
      if (count === -1) {
        this.trailerSeen = true;
        pos += 2;
        break;
      }
      if (count !== fieldCount)
        throw new CopyFormatError(`expected ${fieldCount} fields per row, got ${count}`);
      let p = pos + 2;
      let complete = true;
      for (let i = 0; i < count; i++) {
        if (p + 4 > end) {
          complete = false;
          break;
        }
        const length = buffer.readInt32BE(p);
        p += 4;
        starts[i] = p;
        lengths[i] = length;
        if (length > 0) p += length;
        if (p > end) {
          complete = false;
          break;
        }
      }
      if (!complete) break;
      this.onRow(buffer, starts, lengths);
      this.rows++;
      pos = p;
    }
    this.pending = pos < end ? Buffer.from(buffer.subarray(pos)) : null;
  }

  /** Checks the stream ended with the trailer and nothing after it. */
  end(): void {
    if (!this.trailerSeen) throw new CopyFormatError('the COPY stream ended before its trailer');
    if (this.pending && this.pending.length > 0)
      throw new CopyFormatError('unexpected bytes after the COPY trailer');
  }

  /** Returns the position after the header, or -1 when more bytes are needed. */
  private readHeader(buffer: Buffer): number {
    if (buffer.length < HEADER_FIXED) return -1;
    if (!buffer.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
      throw new CopyFormatError('the stream is not in binary COPY format');
    }
    const extension = buffer.readInt32BE(SIGNATURE.length + 4);
    if (buffer.length < HEADER_FIXED + extension) return -1;
    this.headerDone = true;
    return HEADER_FIXED + extension;
  }
}
