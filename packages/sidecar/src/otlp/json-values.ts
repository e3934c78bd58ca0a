import { MalformedRequestError } from './errors.ts';

/**
 * Readers of scalar fields in the OTLP/JSON mapping (protobuf JSON with hex trace ids): each takes the raw
 * parsed value and the field's name (for the error message) and throws {@link MalformedRequestError} on a
 * value of the wrong type. Absent and `null` mean the field's default.
 */

const EMPTY: readonly unknown[] = Object.freeze([]);
const UINT64_MAX = '18446744073709551615';
const INT64_LIMIT = 2n ** 63n;

/** A JSON object field (undefined when absent). */
export function objectField(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(field, 'an object');
  return value as Record<string, unknown>;
}

/** A repeated field (an empty list when absent). */
export function listField(value: unknown, field: string): readonly unknown[] {
  if (value === undefined || value === null) return EMPTY;
  if (!Array.isArray(value)) throw wrongType(field, 'an array');
  return value;
}

/** A string field ('' when absent). */
export function stringField(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  throw wrongType(field, 'a string');
}

/** A bool field. */
export function boolField(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  throw wrongType(field, 'a boolean');
}

/** A double field: a number, or a string holding one (`"NaN"`, `"Infinity"` and `"-Infinity"` included). */
export function doubleField(value: unknown, field: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return Number.NaN;
    const n = Number(value);
    if (value.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw wrongType(field, 'a number');
}

/** An optional double field (null when absent). */
export function optionalDoubleField(value: unknown, field: string): number | null {
  return value === undefined || value === null ? null : doubleField(value, field);
}

/** A 32-bit integer field (uint32, int32, sint32 or an enum given by number). */
export function int32Field(value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= -2147483648 && n <= 4294967295) return n;
  throw wrongType(field, 'a 32-bit integer');
}

/** An enum field given by number or by name (`names[i]` is the name of value i). */
export function enumField(value: unknown, field: string, names: readonly string[]): number {
  if (typeof value === 'string') {
    const i = names.indexOf(value);
    if (i >= 0) return i;
  }
  return int32Field(value, field);
}

/**
 * An unsigned 64-bit field (a decimal string or a number) as a safe integer, or -1 when it is 2^53 or more.
 * @example uint64Field('3', 'count') // 3
 */
export function uint64Field(value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return value <= Number.MAX_SAFE_INTEGER ? value : -1;
  } else if (typeof value === 'string' && isUint64Text(value)) {
    const n = Number(value);
    return n <= Number.MAX_SAFE_INTEGER ? n : -1;
  }
  throw wrongType(field, 'an unsigned 64-bit integer');
}

/**
 * Unix nanoseconds (a decimal string or a number) split into micros and the 0..999 remainder, exactly
 * (micros may exceed 2^53 when the time is beyond the storable range; the caller checks).
 */
export function nanosField(value: unknown, field: string, out: { micros: number; nanos: number }): void {
  if (value === undefined || value === null) {
    out.micros = 0;
    out.nanos = 0;
    return;
  }
  if (typeof value === 'string' && isUint64Text(value)) {
    const cut = Math.max(0, value.length - 3);
    out.micros = cut === 0 ? 0 : Number(value.slice(0, cut));
    out.nanos = Number(value.slice(cut));
    return;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    const exact = BigInt(value);
    out.micros = Number(exact / 1000n);
    out.nanos = Number(exact % 1000n);
    return;
  }
  throw wrongType(field, 'unix nanoseconds as an unsigned 64-bit integer');
}

/** A signed 64-bit field (a decimal string or a number) as a bigint. */
export function int64Field(value: unknown, field: string): bigint {
  let n: bigint | undefined;
  if (typeof value === 'number' && Number.isInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) n = BigInt(value);
  if (n === undefined || n >= INT64_LIMIT || n < -INT64_LIMIT)
    throw wrongType(field, 'a signed 64-bit integer');
  return n;
}

/** Bytes given as hex (trace and span ids in OTLP/JSON), returned as lowercase hex. */
export function hexField(value: unknown, field: string): string {
  const text = stringField(value, field);
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw wrongType(field, 'hex bytes');
  return text.toLowerCase();
}

/** Bytes given as base64 (standard or URL-safe alphabet). */
export function base64Field(value: unknown, field: string): Uint8Array {
  const text = stringField(value, field);
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw wrongType(field, 'base64 bytes');
  return Buffer.from(text, 'base64');
}

function isUint64Text(text: string): boolean {
  if (!/^\d{1,20}$/.test(text)) return false;
  return text.length < 20 || text <= UINT64_MAX;
}

function wrongType(field: string, expected: string): MalformedRequestError {
  return new MalformedRequestError(`${field} must be ${expected}`);
}
