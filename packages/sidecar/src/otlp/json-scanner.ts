import { MalformedBodyError } from '../plugin-api/errors.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
/** Deepest nesting `skipValue` accepts. */
const MAX_DEPTH = 512;

/**
 * Character codes the scanner's callers test `peek()` against.
 * @example if (scanner.peek() === Char.OpenArray) scanner.arrayStart();
 */
export const Char = { Quote: QUOTE, OpenObject: OPEN_OBJECT, OpenArray: OPEN_ARRAY, Minus: MINUS } as const;

/**
 * A pull scanner over JSON text that hands out one token at a time and builds no objects: strings are sliced
 * (escapes decoded by the engine's JSON parser on the rare string that has them), numbers are returned as
 * their source text so that 64-bit integers keep every digit. Syntax errors throw
 * {@link MalformedBodyError}. Unlike `JSON.parse`, raw control characters inside strings are accepted.
 * @example
 * const s = new JsonScanner('{"a":[1,2]}');
 * if (s.objectStart()) do { s.key(); s.skipValue(); } while (s.objectNext());
 * s.end();
 */
export class JsonScanner {
  readonly text: string;
  pos = 0;
  /**
   * Index of the next backslash at or after `pos` (Infinity when there is none): strings that end before it
   * have no escapes. It may lag behind `pos` after a forward jump; `stringEnd` catches up.
   */
  private nextBackslash: number;
  /** Every backslash position, ascending (built on the first backward `seek`, so that jumps cost log n). */
  private backslashes: Int32Array | undefined;
  private readonly hasBackslash: boolean;

  constructor(text: string) {
    this.text = text;
    const at = text.indexOf('\\');
    this.hasBackslash = at >= 0;
    this.nextBackslash = at < 0 ? Number.POSITIVE_INFINITY : at;
  }

  /** Moves the cursor anywhere (backwards included). */
  seek(pos: number): void {
    this.pos = pos;
    if (!this.hasBackslash) return;
    this.backslashes ??= this.indexBackslashes();
    this.backslashFrom(pos);
  }

  /** Skips whitespace and returns the next character code (-1 at the end of the text). */
  peek(): number {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        p++;
        continue;
      }
      this.pos = p;
      return Number.isNaN(c) ? -1 : c;
    }
  }

  /** Consumes `{`; returns false (and consumes `}`) when the object is empty. */
  objectStart(): boolean {
    this.expect(OPEN_OBJECT, 'an object');
    if (this.peek() !== CLOSE_OBJECT) return true;
    this.pos++;
    return false;
  }

  /** Reads a member's key and its colon. */
  key(): string {
    if (this.peek() !== QUOTE) throw this.error('a key');
    const key = this.string();
    this.expect(COLON, "':'");
    return key;
  }

  /** After a member's value: true when another member follows (`,`), false at `}`. */
  objectNext(): boolean {
    const c = this.peek();
    this.pos++;
    if (c === COMMA) return true;
    if (c === CLOSE_OBJECT) return false;
    this.pos--;
    throw this.error("',' or '}'");
  }

  /** Consumes `[`; returns false (and consumes `]`) when the array is empty. */
  arrayStart(): boolean {
    this.expect(OPEN_ARRAY, 'an array');
    if (this.peek() !== CLOSE_ARRAY) return true;
    this.pos++;
    return false;
  }

  /** After an item: true when another item follows (`,`), false at `]`. */
  arrayNext(): boolean {
    const c = this.peek();
    this.pos++;
    if (c === COMMA) return true;
    if (c === CLOSE_ARRAY) return false;
    this.pos--;
    throw this.error("',' or ']'");
  }

  /** Reads a string (after any whitespace, the next character must be its opening quote). */
  string(): string {
    if (this.peek() !== QUOTE) throw this.error('a string');
    const t = this.text;
    const start = this.pos + 1;
    const end = t.indexOf('"', start);
    if (end < 0) throw this.error('the end of a string');
    if (end < this.nextBackslash) {
      this.pos = end + 1;
      return t.slice(start, end);
    }
    return this.escapedString(start);
  }

  /** Slow path: a string with escapes, decoded (and checked) by the engine's JSON parser. */
  private escapedString(start: number): string {
    const end = this.stringEnd(start);
    let value: string;
    try {
      value = JSON.parse(this.text.slice(start - 1, end + 1)) as string;
    } catch (cause) {
      throw new MalformedBodyError(`invalid string at character ${start - 1}`, { cause });
    }
    this.pos = end + 1;
    return value;
  }

  /** Index of the closing quote of the string whose content starts at `start`; moves `nextBackslash` on. */
  private stringEnd(start: number): number {
    const t = this.text;
    let from = start;
    if (this.nextBackslash < from) this.backslashFrom(from);
    for (;;) {
      const end = t.indexOf('"', from);
      if (end < 0) throw this.error('the end of a string');
      if (end < this.nextBackslash) return end;
      // The backslash escapes the character after it; look for the closing quote after that.
      from = this.nextBackslash + 2;
      this.backslashFrom(from);
    }
  }

  private backslashFrom(from: number): void {
    const all = this.backslashes;
    if (all === undefined) {
      const at = this.text.indexOf('\\', from);
      this.nextBackslash = at < 0 ? Number.POSITIVE_INFINITY : at;
      return;
    }
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    this.nextBackslash = lo < all.length ? all[lo]! : Number.POSITIVE_INFINITY;
  }

  private indexBackslashes(): Int32Array {
    const t = this.text;
    let all = new Int32Array(64);
    let n = 0;
    for (let at = t.indexOf('\\'); at >= 0; at = t.indexOf('\\', at + 1)) {
      if (n === all.length) {
        const grown = new Int32Array(n * 2);
        grown.set(all);
        all = grown;
      }
      all[n++] = at;
    }
    return all.subarray(0, n);
  }

  /**
   * Reads a plain non-negative integer of at most 15 digits (no sign, fraction or exponent; the commonest
   * number in OTLP: counts, bounds, sums) straight from the text and returns it; -1, reading nothing, for any
   * other value (which `numberText` then reads). Call after `peek()`.
   */
  plainInteger(): number {
    const t = this.text;
    const start = this.pos;
    let p = start;
    let n = 0;
    for (;;) {
      const c = t.charCodeAt(p);
      // charCodeAt past the end is NaN: not a digit either.
      if (!(c >= 0x30 && c <= 0x39)) break;
      n = n * 10 + (c - 0x30);
      p++;
    }
    const digitCount = p - start;
    const next = t.charCodeAt(p);
    if (
      digitCount === 0 ||
      digitCount > 15 ||
      (digitCount > 1 && t.charCodeAt(start) === 0x30) ||
      next === 0x2e ||
      next === 0x65 ||
      next === 0x45
    ) {
      return -1;
    }
    this.pos = p;
    return n;
  }

  /** Reads a number and returns its source text (JSON number grammar). */
  numberText(): string {
    this.peek();
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === MINUS) p++;
    const first = t.charCodeAt(p);
    if (first === 0x30) p++;
    else if (first >= 0x31 && first <= 0x39) p = digits(t, p + 1);
    else throw this.error('a number');
    if (t.charCodeAt(p) === 0x2e) {
      const q = digits(t, p + 1);
      if (q === p + 1) throw this.error('a digit');
      p = q;
    }
    const e = t.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      p++;
      const sign = t.charCodeAt(p);
      if (sign === 0x2b || sign === MINUS) p++;
      const q = digits(t, p);
      if (q === p) throw this.error('a digit');
      p = q;
    }
    this.pos = p;
    return t.slice(start, p);
  }

  /** Consumes `null` when it is next; false otherwise. */
  null(): boolean {
    if (this.peek() !== 0x6e) return false;
    this.literal('null');
    return true;
  }

  /** Reads `true` or `false`. */
  bool(): boolean {
    const c = this.peek();
    if (c === 0x74) return this.literal('true');
    if (c === 0x66) return !this.literal('false');
    throw this.error('true or false');
  }

  private literal(word: string): true {
    if (!this.text.startsWith(word, this.pos)) throw this.error(word);
    this.pos += word.length;
    return true;
  }

  /** Skips one value of any type, checking its syntax. */
  skipValue(): void {
    const closers: number[] = [];
    for (;;) {
      const c = this.peek();
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        this.pos++;
        if (closers.length >= MAX_DEPTH)
          throw new MalformedBodyError(`JSON nested deeper than ${MAX_DEPTH} levels`);
        const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
        if (this.peek() === close) {
          this.pos++;
        } else {
          closers.push(close);
          if (close === CLOSE_OBJECT) this.key();
          continue;
        }
      } else {
        this.scalar(c);
      }
      // After a value: close what is finished, stop at a comma.
      for (;;) {
        if (closers.length === 0) return;
        const next = this.peek();
        const close = closers[closers.length - 1]!;
        this.pos++;
        if (next === close) {
          closers.pop();
          continue;
        }
        if (next !== COMMA) {
          this.pos--;
          throw this.error(close === CLOSE_OBJECT ? "',' or '}'" : "',' or ']'");
        }
        if (close === CLOSE_OBJECT) this.key();
        break;
      }
    }
  }

  private scalar(c: number): void {
    if (c === QUOTE) {
      this.string();
    } else if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      this.numberText();
    } else if (c === 0x74) {
      this.literal('true');
    } else if (c === 0x66) {
      this.literal('false');
    } else if (c === 0x6e) {
      this.literal('null');
    } else {
      throw this.error('a value');
    }
  }

  /** Throws unless only whitespace is left. */
  end(): void {
    if (this.peek() !== -1) throw this.error('the end of the body');
  }

  /** Consumes the character `code` or throws. */
  expect(code: number, what: string): void {
    if (this.peek() !== code) throw this.error(what);
    this.pos++;
  }

  /** A syntax error at the cursor. */
  error(expected: string): MalformedBodyError {
    const at = this.pos >= this.text.length ? 'the end of the body' : `character ${this.pos}`;
    return new MalformedBodyError(`invalid JSON: expected ${expected} at ${at}`);
  }
}

function digits(t: string, from: number): number {
  let p = from;
  for (;;) {
    const c = t.charCodeAt(p);
    if (c >= 0x30 && c <= 0x39) p++;
    else return p;
  }
}
