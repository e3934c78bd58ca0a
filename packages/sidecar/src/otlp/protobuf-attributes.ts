import { MalformedBodyError } from '../plugin-api/errors.ts';
import { CacheBudget } from './cache-budget.ts';
import { bytesJson, doubleJson, int64Decimal } from './json-text.ts';
import type { WireReader } from './wire-reader.ts';
import { WireStringTable } from './wire-string-table.ts';

/** Deepest nesting of array and kvlist values accepted (deeper is malformed, not a stack overflow). */
const MAX_DEPTH = 32;

interface CachedRun {
  start: number;
  end: number;
  text: string;
  promoted: string | null;
}

/**
 * Decodes repeated `KeyValue` fields (OTLP attributes) straight into core's typed JSON text, and promotes
 * one string attribute (`symbol` for points, `service.name` for resources). Consecutive attribute fields
 * are decoded as one run; runs are cached by their raw bytes for the duration of one request, so the
 * attribute sets that repeat across metrics are decoded once.
 * @example
 * const attrs = new ProtobufAttributes(reader);
 * const text = attrs.run(tagPos, 0x3a, end, 'symbol', true); // '{"symbol":"BTC/USD"}'
 */
export class ProtobufAttributes {
  /** The promoted attribute's value found by the last {@link run}, or null. */
  promoted: string | null = null;
  /** The text of the value decoded by the last {@link value} when it was a string, else null. */
  stringValue: string | null = null;
  private readonly cache = new Map<number, CachedRun>();
  private readonly budget = new CacheBudget();
  private lastString: string | null = null;
  private depth = 0;

  private readonly strings: WireStringTable;

  constructor(private readonly r: WireReader) {
    this.strings = new WireStringTable(r);
  }

  /**
   * Decodes the run of fields with the one-byte tag `tag` that starts at `tagPos` (the cursor is just past
   * that first tag) and returns the attributes as a JSON object text; the cursor ends after the run.
   */
  run(tagPos: number, tag: number, end: number, promote: string, cached: boolean): string {
    const r = this.r;
    const b = r.buf;
    r.pos = r.lengthEnd(end);
    while (r.pos < end && b[r.pos] === tag) {
      r.pos++;
      r.pos = r.lengthEnd(end);
    }
    const runEnd = r.pos;
    if (!cached || !this.budget.enabled) return this.decodeRun(tagPos, runEnd, promote);
    const hash = r.hash(tagPos, runEnd);
    const hit = this.cache.get(hash);
    const same = hit !== undefined && r.sameBytes(hit.start, hit.end, tagPos, runEnd);
    this.budget.record(same);
    if (same) {
      this.promoted = hit.promoted;
      return hit.text;
    }
    const text = this.decodeRun(tagPos, runEnd, promote);
    if (hit === undefined)
      this.cache.set(hash, { start: tagPos, end: runEnd, text, promoted: this.promoted });
    r.pos = runEnd;
    return text;
  }

  /**
   * One `AnyValue` message in `[start, end)` (a log record body) as typed JSON text; {@link stringValue} is
   * then its text when it is a string, else null.
   */
  value(start: number, end: number): string {
    this.lastString = null;
    const out = this.anyValue(start, end);
    this.stringValue = this.lastString;
    return out;
  }

  private decodeRun(start: number, end: number, promote: string): string {
    const r = this.r;
    this.promoted = null;
    r.pos = start;
    let out = '{';
    while (r.pos < end) {
      r.varint32();
      const stop = r.lengthEnd(end);
      out +=
        out.length === 1 ? this.keyValue(r.pos, stop, promote) : `,${this.keyValue(r.pos, stop, promote)}`;
    }
    return `${out}}`;
  }

  /** One `KeyValue` as `"key":value`; sets {@link promoted} when its key is `promote` and its value a string. */
  private keyValue(start: number, end: number, promote: string): string {
    const r = this.r;
    r.pos = start;
    let keyStart = 0;
    let keyEnd = 0;
    let valueStart = -1;
    let valueEnd = -1;
    while (r.pos < end) {
      const tag = r.varint32();
      if (tag === 0x0a) {
        keyEnd = r.lengthEnd(end);
        keyStart = r.pos;
        r.pos = keyEnd;
      } else if (tag === 0x12) {
        valueEnd = r.lengthEnd(end);
        valueStart = r.pos;
        r.pos = valueEnd;
      } else {
        r.skip(tag);
      }
    }
    r.expectEnd(end);
    const key = this.strings.get(keyStart, keyEnd);
    this.lastString = null;
    const value = valueStart < 0 ? 'null' : this.anyValue(valueStart, valueEnd);
    if (this.lastString !== null && key.raw === promote && promote !== '') this.promoted = this.lastString;
    r.pos = end;
    return this.strings.keyPrefix(key) + value;
  }

  /** One `AnyValue` as JSON text (the last field of the oneof wins, as in protobuf). */
  private anyValue(start: number, end: number): string {
    const r = this.r;
    r.pos = start;
    let out = 'null';
    while (r.pos < end) {
      const tag = r.varint32();
      this.lastString = null;
      switch (tag) {
        case 0x0a: {
          const stop = r.lengthEnd(end);
          const text = this.strings.get(r.pos, stop);
          r.pos = stop;
          this.lastString = text.raw;
          out = text.quoted;
          break;
        }
        case 0x10:
          r.varint64();
          out = r.lo !== 0 || r.hi !== 0 ? 'true' : 'false';
          break;
        case 0x18:
          r.varint64();
          out = int64Decimal(r.lo, r.hi);
          break;
        case 0x21:
          out = doubleJson(r.double());
          break;
        case 0x2a:
          out = this.nested(end, '[', ']', false);
          this.lastString = null;
          break;
        case 0x32:
          out = this.nested(end, '{', '}', true);
          this.lastString = null;
          break;
        case 0x3a: {
          const stop = r.lengthEnd(end);
          out = bytesJson(r.buf.subarray(r.pos, stop));
          r.pos = stop;
          break;
        }
        default:
          r.skip(tag);
      }
    }
    r.expectEnd(end);
    return out;
  }

  /** An `ArrayValue` (repeated AnyValue, field 1) or `KeyValueList` (repeated KeyValue, field 1). */
  private nested(end: number, open: string, close: string, keyed: boolean): string {
    const r = this.r;
    const stop = r.lengthEnd(end);
    if (++this.depth > MAX_DEPTH)
      throw new MalformedBodyError(`values nested deeper than ${MAX_DEPTH} levels`);
    const promoted = this.promoted;
    let out = open;
    while (r.pos < stop) {
      const tag = r.varint32();
      if (tag !== 0x0a) {
        r.skip(tag);
        continue;
      }
      const itemEnd = r.lengthEnd(stop);
      const item = keyed ? this.keyValue(r.pos, itemEnd, '') : this.anyValue(r.pos, itemEnd);
      out += out.length === 1 ? item : `,${item}`;
      r.pos = itemEnd;
    }
    r.expectEnd(stop);
    this.depth--;
    this.promoted = promoted;
    return out + close;
  }
}
