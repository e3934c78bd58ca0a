import type { WireReader } from './wire-reader.ts';

/** Longest string kept in a {@link WireStringTable}. */
const MAX_INTERNED_BYTES = 64;
/** Most strings kept per request. */
const MAX_ENTRIES = 4096;

/** A decoded string with its JSON forms. */
export interface WireString {
  /** Where the string's bytes are in the buffer. */
  start: number;
  end: number;
  /** The string. */
  raw: string;
  /** The string as JSON text (quoted and escaped). */
  quoted: string;
  /** `quoted` followed by a colon (an object key), made on first use. */
  keyPrefix: string;
}

/**
 * Interns the short strings of one protobuf buffer (attribute keys and values repeat throughout an export):
 * each distinct byte sequence is decoded and JSON-quoted once, later occurrences are found by hash and byte
 * comparison without allocating.
 * @example
 * const table = new WireStringTable(reader);
 * table.get(start, end).quoted; // '"BTC/USD"'
 */
export class WireStringTable {
  private readonly entries = new Map<number, WireString>();

  constructor(private readonly r: WireReader) {}

  /** The string whose UTF-8 bytes are `[start, end)` (throws MalformedBodyError when they are not UTF-8). */
  get(start: number, end: number): WireString {
    const r = this.r;
    if (end - start > MAX_INTERNED_BYTES) return decode(r, start, end);
    const hash = r.hash(start, end);
    const known = this.entries.get(hash);
    if (known !== undefined && r.sameBytes(known.start, known.end, start, end)) return known;
    const entry = decode(r, start, end);
    if (known === undefined && this.entries.size < MAX_ENTRIES) this.entries.set(hash, entry);
    return entry;
  }

  /** `"key":` for the key whose bytes are `[start, end)`. */
  keyPrefix(entry: WireString): string {
    if (entry.keyPrefix === '') entry.keyPrefix = `${entry.quoted}:`;
    return entry.keyPrefix;
  }
}

function decode(r: WireReader, start: number, end: number): WireString {
  const raw = r.text(start, end);
  return { start, end, raw, quoted: JSON.stringify(raw), keyPrefix: '' };
}
