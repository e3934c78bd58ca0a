import type { Attributes, AttributeValue } from '@duckside/core';
import { encodeAttributes } from '@duckside/core/ingest';

const MIN_INT64 = -(2 ** 63);
const MAX_INT64_EXCLUSIVE = 2 ** 63;

/**
 * Converts OpenTelemetry attribute values to core's typed attributes exactly as the OTLP serializers type
 * them: integral numbers within the int64 range become `bigint` (OTLP `int_value`), other numbers stay
 * doubles, `Uint8Array` stays bytes, arrays and plain objects recurse, and anything else (undefined, null,
 * functions) becomes an empty value (`null`).
 * @example toTypedAttributes({ venue: 'alpaca', depth: 3, ratio: 0.5 }) // { venue: 'alpaca', depth: 3n, ratio: 0.5 }
 */
export function toTypedAttributes(attributes: Readonly<Record<string, unknown>> | undefined): Attributes {
  const out: Attributes = {};
  if (!attributes) return out;
  for (const key in attributes) {
    if (Object.hasOwn(attributes, key)) out[key] = toTypedValue(attributes[key]);
  }
  return out;
}

/**
 * Converts one attribute value (see {@link toTypedAttributes}).
 * @example toTypedValue([1, 2.5]) // [1n, 2.5]
 */
export function toTypedValue(value: unknown): AttributeValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64_EXCLUSIVE
        ? BigInt(value)
        : value;
    case 'object':
      if (value === null) return null;
      if (value instanceof Uint8Array) return value;
      if (Array.isArray(value)) return value.map(toTypedValue);
      return toTypedAttributes(value as Record<string, unknown>);
    default:
      return null;
  }
}

/**
 * The `attributes` column text for OpenTelemetry attributes: `encodeAttributes(toTypedAttributes(x))`, with a
 * single-pass fast path for the common flat case (strings, booleans and safe integers only).
 * @example attributesColumn({ symbol: 'BTC/USD', depth: 3 }) // '{"symbol":"BTC/USD","depth":3}'
 */
export function attributesColumn(attributes: Readonly<Record<string, unknown>>): string {
  let out = '{';
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    const value = attributes[key];
    let text: string;
    if (typeof value === 'string') text = JSON.stringify(value);
    else if (typeof value === 'boolean') text = value ? 'true' : 'false';
    else if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value);
    else return encodeAttributes(toTypedAttributes(attributes));
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${text}`;
  }
  return `${out}}`;
}
