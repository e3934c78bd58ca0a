/**
 * A typed attribute value, lossless for OTLP `AnyValue`: ints are `bigint`, doubles are `number`,
 * bytes are `Uint8Array`, arrays are arrays, kvlists are plain objects, an empty value is `null`.
 */
export type AttributeValue =
  | string
  | boolean
  | number
  | bigint
  | Uint8Array
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/** A set of attributes (labels) keyed by name. */
export type Attributes = { [key: string]: AttributeValue };

const BYTES_KEY = '$base64';
const DOUBLE_KEY = '$double';

/**
 * Encodes attributes as JSON text that DuckDB's JSON functions can query (`attributes->>'exchange'`)
 * while keeping the OTLP types: doubles always carry a fraction or exponent (`1.0`), ints never do,
 * bytes become `{"$base64": "..."}`, non-finite doubles `{"$double": "NaN"}`.
 * @example encodeAttributes({ exchange: 'alpaca', depth: 3n }) // '{"exchange":"alpaca","depth":3}'
 */
export function encodeAttributes(attributes: Attributes | undefined): string {
  if (!attributes) return '{}';
  return encodeValue(attributes);
}

/**
 * Encodes one typed `AnyValue` (a log record body, say) as {@link encodeAttributes} encodes attribute values.
 * @example encodeAnyValue([1n, 'a', 0.5]) // '[1,"a",0.5]'
 */
export function encodeAnyValue(value: AttributeValue): string {
  return encodeValue(value);
}

function encodeValue(value: AttributeValue): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      return encodeDouble(value);
    default:
      break;
  }
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `{"${BYTES_KEY}":"${Buffer.from(value).toString('base64')}"}`;
  if (Array.isArray(value)) return `[${value.map(encodeValue).join(',')}]`;
  let out = '{';
  let first = true;
  for (const key of Object.keys(value)) {
    out += `${first ? '' : ','}${jsonString(key)}:${encodeValue(value[key] as AttributeValue)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * A JSON string literal of well-formed text: a lone surrogate (which JSON.stringify writes as `\ud800`) makes DuckDB's
 * JSON functions fail on the row, and so every label filter on the table; it becomes U+FFFD as in any UTF-8 text.
 */
function jsonString(value: string): string {
  if (PLAIN_TEXT.test(value)) return `"${value}"`;
  return JSON.stringify((value as string & { toWellFormed(): string }).toWellFormed());
}

/** Text JSON writes as is between quotes: no quote, backslash, control character or surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range of characters JSON must escape
const PLAIN_TEXT = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * Encodes application-metric labels as {@link encodeAttributes} encodes the same labels as typed attributes (safe
 * integers as ints, other numbers as doubles), without building the attributes first.
 * @example encodeLabels({ exchange: 'alpaca', depth: 3, ratio: 0.5 }) // '{"exchange":"alpaca","depth":3,"ratio":0.5}'
 */
export function encodeLabels(labels: Readonly<Record<string, string | number | boolean>>): string {
  let out = '{';
  for (const key in labels) {
    const value = labels[key] as string | number | boolean;
    const text =
      typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : encodeValue(value);
    out += `${out.length === 1 ? '' : ','}${jsonString(key)}:${text}`;
  }
  return `${out}}`;
}

function encodeDouble(value: number): string {
  if (!Number.isFinite(value)) return `{"${DOUBLE_KEY}":"${value}"}`;
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/**
 * Decodes text written by {@link encodeAttributes} back to typed values (ints as bigint, doubles as number).
 * @example decodeAttributes('{"n":1,"x":1.0}') // { n: 1n, x: 1 }
 */
export function decodeAttributes(text: string | null | undefined): Attributes {
  if (!text) return {};
  const parser = new TypedJsonParser(text);
  const value = parser.parse();
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new SyntaxError('attributes must be a JSON object');
  }
  return value as Attributes;
}

/**
 * Decodes one typed JSON value written like an attribute value (a log record body): null for SQL NULL.
 * @example decodeAttributeValue('[1,2.5,{"$base64":"AQ=="}]') // [1n, 2.5, Uint8Array [1]]
 */
export function decodeAttributeValue(text: string | null | undefined): AttributeValue {
  if (text === null || text === undefined) return null;
  return new TypedJsonParser(text).parse();
}

/** Minimal JSON parser that keeps the int/double distinction of the source text. */
class TypedJsonParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): AttributeValue {
    const value = this.value();
    this.ws();
    if (this.pos !== this.text.length) throw new SyntaxError(`unexpected text at ${this.pos}`);
    return value;
  }

  private ws(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] as string)) this.pos++;
  }

  private value(): AttributeValue {
    this.ws();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (this.text.startsWith('true', this.pos)) return this.literal(4, true);
    if (this.text.startsWith('false', this.pos)) return this.literal(5, false);
    if (this.text.startsWith('null', this.pos)) return this.literal(4, null);
    return this.number();
  }

  private literal<T>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private number(): number | bigint {
    const m = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (!found) throw new SyntaxError(`unexpected character at ${this.pos}`);
    this.pos += found[0].length;
    return found[1] || found[2] ? Number(found[0]) : BigInt(found[0]);
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '\\') this.pos += 2;
      else if (c === '"') break;
      else this.pos++;
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private array(): AttributeValue[] {
    this.pos++;
    const out: AttributeValue[] = [];
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') throw new SyntaxError(`expected , or ] at ${this.pos - 1}`);
    }
  }

  private object(): AttributeValue {
    this.pos++;
    const out: { [key: string]: AttributeValue } = {};
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      const key = this.string();
      this.ws();
      if (this.text[this.pos++] !== ':') throw new SyntaxError(`expected : at ${this.pos - 1}`);
      const value = this.value();
      // A `__proto__` key is data: assigning it would change the object's prototype and drop the key.
      if (key === '__proto__')
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
      this.ws();
      const c = this.text[this.pos++];
      if (c === '}') break;
      if (c !== ',') throw new SyntaxError(`expected , or } at ${this.pos - 1}`);
    }
    const keys = Object.keys(out);
    if (keys.length === 1 && keys[0] === BYTES_KEY && typeof out[BYTES_KEY] === 'string') {
      return new Uint8Array(Buffer.from(out[BYTES_KEY], 'base64'));
    }
    if (keys.length === 1 && keys[0] === DOUBLE_KEY && typeof out[DOUBLE_KEY] === 'string') {
      return Number(out[DOUBLE_KEY]);
    }
    return out;
  }
}
