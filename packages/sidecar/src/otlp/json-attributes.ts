import { MalformedBodyError } from '../plugin-api/errors.ts';
import { CacheBudget } from './cache-budget.ts';
import type { JsonFieldReader } from './json-field-reader.ts';
import { Char } from './json-scanner.ts';
import { bytesJson, doubleJson } from './json-text.ts';

const MAX_DEPTH = 32;
/** Most keys and most values interned per request. */
const MAX_INTERNED = 4096;

interface CachedList {
  /** The list's exact source text, `[` to `]`. */
  source: string;
  text: string;
  promoted: string | null;
  problem: string;
  /** The list read right after this one last time: the first guess for the next list. */
  next: CachedList | undefined;
}

/**
 * Reads OTLP/JSON `KeyValue` lists (attributes) at the scanner's cursor straight into core's typed JSON text,
 * promoting one string attribute (`symbol` for points, `service.name` for resources). Lists read with
 * `cached` are remembered by their source text for the request, so an attribute set that repeats across
 * metrics is decoded once.
 * @example
 * const r = new JsonFieldReader('[{"key":"symbol","value":{"stringValue":"ETH/USD"}}]');
 * new JsonAttributes(r).list('attributes', 'symbol', false); // '{"symbol":"ETH/USD"}'
 */
export class JsonAttributes {
  /** The promoted attribute's value found by the last {@link list}, or null. */
  promoted: string | null = null;
  /** The text of the value read by the last {@link value} when it was a string, else null. */
  stringValue: string | null = null;
  private readonly cache = new Map<string, CachedList>();
  /** The cached list read last. */
  private last: CachedList | undefined;
  private readonly budget = new CacheBudget();
  private readonly prefixes = new Map<string, string>();
  private readonly values = new Map<string, string>();
  private lastString: string | null = null;
  private depth = 0;

  constructor(private readonly r: JsonFieldReader) {}

  /** A `repeated KeyValue` field as a JSON object text (`{}` when absent). */
  list(field: string, promote: string, cached: boolean): string {
    const r = this.r;
    this.promoted = null;
    if (r.peek() !== Char.OpenArray) {
      if (!r.null()) r.wrongType(field, 'an array');
      return '{}';
    }
    if (!cached || !this.budget.enabled) return this.decodeList(field, promote);
    // A cached list is found without scanning it. The first guess is the list that followed the previous one
    // last time (SDK exports repeat the same attribute sets in the same order in every metric): a slice of the
    // same length compared with its source text, a memory compare. Otherwise the source text up to the first
    // `]` at the cursor is looked up, which hashes it; a hit is a complete list equal to one already read. On a
    // miss the list is read in full and its exact source text is remembered.
    const start = r.pos;
    const guess = this.last?.next;
    let hit: CachedList | undefined;
    if (guess !== undefined && r.text.slice(start, start + guess.source.length) === guess.source) hit = guess;
    else {
      const close = r.text.indexOf(']', start);
      hit = close < 0 ? undefined : this.cache.get(r.text.slice(start, close + 1));
    }
    this.budget.record(hit !== undefined);
    if (hit !== undefined) {
      r.pos = start + hit.source.length;
      this.promoted = hit.promoted;
      if (r.problem === '') r.problem = hit.problem;
      return this.follow(hit).text;
    }
    const before = r.problem;
    r.clearProblem();
    const text = this.decodeList(field, promote);
    const problem = r.problem;
    r.problem = before || problem;
    const source = r.text.slice(start, r.pos);
    const entry: CachedList = { source, text, promoted: this.promoted, problem, next: undefined };
    this.cache.set(source, entry);
    return this.follow(entry).text;
  }

  /**
   * One `AnyValue` object at the cursor (a log record body) as typed JSON text; {@link stringValue} is then
   * its text when it is a string, else null.
   */
  value(field: string): string {
    this.lastString = null;
    const out = this.anyValue(field);
    this.stringValue = this.lastString;
    return out;
  }

  /** Makes `entry` the successor of the list read before it, and the last list read. */
  private follow(entry: CachedList): CachedList {
    if (this.last !== undefined) this.last.next = entry;
    this.last = entry;
    return entry;
  }

  private decodeList(field: string, promote: string): string {
    const r = this.r;
    let out = '{';
    if (r.arrayStart()) {
      do {
        const kv = this.keyValue(field, promote);
        out += out.length === 1 ? kv : `,${kv}`;
      } while (r.arrayNext());
    }
    return `${out}}`;
  }

  /** One `KeyValue` as `"key":value`; sets {@link promoted} when its key is `promote` and its value a string. */
  private keyValue(field: string, promote: string): string {
    const r = this.r;
    let key = '';
    let value = 'null';
    let text: string | null = null;
    if (r.peek() !== Char.OpenObject) {
      r.wrongType(field, 'a list of {key, value} objects');
      return '"":null';
    }
    if (r.objectStart()) {
      do {
        const name = r.key();
        if (name === 'key') key = r.str(`${field}.key`);
        else if (name === 'value') {
          value = this.anyValue(field);
          text = this.lastString;
        } else r.skipValue();
      } while (r.objectNext());
    }
    if (text !== null && promote !== '' && key === promote) this.promoted = text;
    return this.keyPrefix(key) + value;
  }

  /** One `AnyValue` as JSON text (the last value field given wins, as in the protobuf oneof). */
  private anyValue(field: string): string {
    const r = this.r;
    let out = 'null';
    let text: string | null = null;
    if (r.peek() !== Char.OpenObject) {
      if (!r.null()) r.wrongType(`${field}.value`, 'an object');
      this.lastString = null;
      return out;
    }
    if (r.objectStart()) {
      do {
        const name = r.key();
        if (r.null()) continue;
        switch (name) {
          case 'stringValue':
            text = r.str(`${field}.stringValue`);
            out = this.quoted(text);
            continue;
          case 'boolValue':
            out = r.flag(`${field}.boolValue`) ? 'true' : 'false';
            break;
          case 'intValue':
            out = r.int64(`${field}.intValue`).toString();
            break;
          case 'doubleValue':
            out = doubleJson(r.double(`${field}.doubleValue`));
            break;
          case 'arrayValue':
            out = this.nested(field, false);
            break;
          case 'kvlistValue':
            out = this.nested(field, true);
            break;
          case 'bytesValue':
            out = bytesJson(r.base64(`${field}.bytesValue`));
            break;
          default:
            r.skipValue();
            continue;
        }
        text = null;
      } while (r.objectNext());
    }
    this.lastString = text;
    return out;
  }

  /** An `ArrayValue` or `KeyValueList`: `{"values": [...]}`. */
  private nested(field: string, keyed: boolean): string {
    const r = this.r;
    if (++this.depth > MAX_DEPTH)
      throw new MalformedBodyError(`values nested deeper than ${MAX_DEPTH} levels`);
    const promoted = this.promoted;
    let out = keyed ? '{' : '[';
    if (r.peek() !== Char.OpenObject) {
      r.wrongType(field, 'an object with values');
    } else if (r.objectStart()) {
      do {
        if (r.key() !== 'values' || r.null()) {
          r.skipValue();
          continue;
        }
        if (r.peek() !== Char.OpenArray) {
          r.wrongType(`${field}.values`, 'an array');
          continue;
        }
        if (!r.arrayStart()) continue;
        do {
          const item = keyed ? this.keyValue(field, '') : this.anyValue(field);
          out += out.length === 1 ? item : `,${item}`;
        } while (r.arrayNext());
      } while (r.objectNext());
    }
    this.depth--;
    this.promoted = promoted;
    return out + (keyed ? '}' : ']');
  }

  /** `"key":` for a key, made once per distinct key. */
  private keyPrefix(key: string): string {
    let prefix = this.prefixes.get(key);
    if (prefix === undefined) {
      prefix = `${JSON.stringify(key)}:`;
      if (this.prefixes.size < MAX_INTERNED) this.prefixes.set(key, prefix);
    }
    return prefix;
  }

  /** A short string value as JSON text, made once per distinct value. */
  private quoted(text: string): string {
    if (text.length > 64) return JSON.stringify(text);
    let quoted = this.values.get(text);
    if (quoted === undefined) {
      quoted = JSON.stringify(text);
      if (this.values.size < MAX_INTERNED) this.values.set(text, quoted);
    }
    return quoted;
  }
}
