import { Char, JsonScanner } from './json-scanner.ts';

const UINT64_MAX = '18446744073709551615';

/** The last timestamp read by {@link JsonFieldReader.nanos}: its source text and value. */
export interface NanosCache {
  source: string;
  micros: number;
  nanos: number;
}
const INT64_LIMIT = 2n ** 63n;

/**
 * Typed field readers over a {@link JsonScanner} for the OTLP/JSON mapping (protobuf JSON with hex ids):
 * `null` reads as the field's default; a value of the wrong type is skipped and recorded in {@link problem}
 * (the caller decides whether that rejects a data point or the request). 64-bit integers are read from
 * their source text, as strings or numbers, without losing digits.
 * @example
 * const r = new JsonFieldReader('"12"');
 * r.uint64('count'); // 12
 */
export class JsonFieldReader extends JsonScanner {
  /** The first type problem since the last `clearProblem()` ('' when none). */
  problem = '';

  /** Forgets the recorded problem. */
  clearProblem(): void {
    this.problem = '';
  }

  /** Records a type problem and skips the offending value. */
  wrongType(field: string, expected: string): void {
    if (this.problem === '') this.problem = `${field} must be ${expected}`;
    this.skipValue();
  }

  /** A string field ('' when absent). */
  str(field: string): string {
    const c = this.peek();
    if (c === Char.Quote) return this.string();
    if (!this.null()) this.wrongType(field, 'a string');
    return '';
  }

  /** A bool field. */
  flag(field: string): boolean {
    const c = this.peek();
    if (c === 0x74 || c === 0x66) return this.bool();
    if (!this.null()) this.wrongType(field, 'a boolean');
    return false;
  }

  /** A double field: a number, or a string holding one (`"NaN"`, `"Infinity"`, `"-Infinity"` included). */
  double(field: string): number {
    return this.optionalDouble(field) ?? 0;
  }

  /** A double field that is null when absent. */
  optionalDouble(field: string): number | null {
    const c = this.peek();
    if (c >= 0x30 && c <= 0x39) {
      const n = this.plainInteger();
      return n >= 0 ? n : Number(this.numberText());
    }
    if (c === Char.Minus) return Number(this.numberText());
    if (c === Char.Quote) {
      const text = this.string();
      if (text === 'NaN') return Number.NaN;
      const n = Number(text);
      if (text.trim() !== '' && !Number.isNaN(n)) return n;
      if (this.problem === '') this.problem = `${field} must be a number`;
      return 0;
    }
    if (!this.null()) this.wrongType(field, 'a number');
    return null;
  }

  /** A 32-bit integer field (uint32, int32, sint32, or an enum by number). */
  int32(field: string): number {
    const c = this.peek();
    if (c >= 0x30 && c <= 0x39) {
      const n = this.plainInteger();
      if (n >= 0 && n <= 4294967295) return n;
      if (n > 4294967295) {
        if (this.problem === '') this.problem = `${field} must be a 32-bit integer`;
        return 0;
      }
    }
    const text = this.integerText(field);
    if (text === null) return 0;
    const n = Number(text);
    if (Number.isInteger(n) && n >= -2147483648 && n <= 4294967295) return n;
    if (this.problem === '') this.problem = `${field} must be a 32-bit integer`;
    return 0;
  }

  /** An enum field given by number or by name (`names[i]` names value i). */
  enumValue(field: string, names: readonly string[]): number {
    if (this.peek() === Char.Quote) {
      const at = this.pos;
      const i = names.indexOf(this.string());
      if (i >= 0) return i;
      this.pos = at;
    }
    return this.int32(field);
  }

  /** An unsigned 64-bit field as a safe integer, or -1 when it is 2^53 or more. */
  uint64(field: string): number {
    const c = this.peek();
    if (c >= 0x30 && c <= 0x39) {
      const n = this.plainInteger();
      if (n >= 0) return n;
    }
    const text = this.integerText(field);
    if (text === null) return 0;
    if (isDigits(text) && (text.length < 20 || (text.length === 20 && text <= UINT64_MAX))) {
      const n = Number(text);
      return n <= Number.MAX_SAFE_INTEGER ? n : -1;
    }
    if (this.problem === '') this.problem = `${field} must be an unsigned 64-bit integer`;
    return 0;
  }

  /** A signed 64-bit field as a bigint. */
  int64(field: string): bigint {
    const text = this.integerText(field);
    if (text === null) return 0n;
    const digits = text.charCodeAt(0) === Char.Minus ? text.slice(1) : text;
    if (isDigits(digits) && digits.length <= 19) {
      const n = BigInt(text);
      if (n < INT64_LIMIT && n >= -INT64_LIMIT) return n;
    }
    if (this.problem === '') this.problem = `${field} must be a signed 64-bit integer`;
    return 0n;
  }

  /**
   * Unix nanoseconds split into micros and the 0..999 remainder, exactly (0 when absent). With a `cache`,
   * a value spelled exactly like the last one is not parsed again (the points of one export share times).
   */
  nanos(field: string, out: { micros: number; nanos: number }, cache?: NanosCache): void {
    const quoted = this.peek() === Char.Quote;
    if (
      cache !== undefined &&
      quoted &&
      cache.source !== '' &&
      // A slice compared with ===: a memory compare (startsWith compares character by character).
      this.text.slice(this.pos, this.pos + cache.source.length) === cache.source
    ) {
      this.pos += cache.source.length;
      out.micros = cache.micros;
      out.nanos = cache.nanos;
      return;
    }
    const start = this.pos;
    const problem = this.problem;
    this.readNanos(field, out);
    // Only quoted values are remembered: a string ends at its quote, a number could go on with more digits.
    if (cache !== undefined && quoted && this.problem === problem) {
      cache.source = this.text.slice(start, this.pos);
      cache.micros = out.micros;
      cache.nanos = out.nanos;
    }
  }

  private readNanos(field: string, out: { micros: number; nanos: number }): void {
    const text = this.integerText(field);
    out.micros = 0;
    out.nanos = 0;
    if (text === null) return;
    if (!isDigits(text) || text.length > 20 || (text.length === 20 && text > UINT64_MAX)) {
      if (this.problem === '')
        this.problem = `${field} must be unix nanoseconds as an unsigned 64-bit integer`;
      return;
    }
    const cut = Math.max(0, text.length - 3);
    out.micros = cut === 0 ? 0 : Number(text.slice(0, cut));
    out.nanos = Number(text.slice(cut));
  }

  /** Bytes given as hex (trace and span ids), returned as lowercase hex. */
  hex(field: string): string {
    const text = this.str(field);
    if (text.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(text)) return text.toLowerCase();
    if (this.problem === '') this.problem = `${field} must be hex bytes`;
    return '';
  }

  /** Bytes given as base64 (standard or URL-safe alphabet). */
  base64(field: string): Uint8Array {
    const text = this.str(field);
    if (/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return Buffer.from(text, 'base64');
    if (this.problem === '') this.problem = `${field} must be base64 bytes`;
    return new Uint8Array(0);
  }

  /**
   * The source text of an integer given as a number or a string, or null for an absent value or a value of
   * the wrong type (recorded). Numbers with a fraction or exponent are turned into digits when integral.
   */
  private integerText(field: string): string | null {
    const c = this.peek();
    let text: string;
    if (c === Char.Quote) text = this.string();
    else if (c === Char.Minus || (c >= 0x30 && c <= 0x39)) text = this.numberText();
    else {
      if (!this.null()) this.wrongType(field, 'an integer');
      return null;
    }
    const digits = text.charCodeAt(0) === Char.Minus ? text.slice(1) : text;
    if (isDigits(digits)) return text;
    const n = Number(text);
    return Number.isInteger(n) ? BigInt(n).toString() : text;
  }
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
