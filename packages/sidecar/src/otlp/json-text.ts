/**
 * Builders of the typed JSON text that core stores in the `attributes`, `resource`, `scope` and `exemplars`
 * columns, written straight from decoded values (no intermediate objects). The format is core's
 * `encodeAttributes`: ints without a fraction, doubles always with one (`1.0`), non-finite doubles as
 * `{"$double":"NaN"}`, bytes as `{"$base64":"..."}`, an empty value as `null`.
 */

const TWO_32 = 4294967296;
/** Words above this high word no longer fit a safe integer. */
const SAFE_HIGH = 0x200000;
/** High words from this one up are negative int64 values that still fit a safe integer. */
const SAFE_NEGATIVE_HIGH = 0xffe00000;

/**
 * JSON text of a double in core's typed format.
 * @example doubleJson(1) // '1.0'
 */
export function doubleJson(value: number): string {
  if (Number.isInteger(value)) {
    if (Math.abs(value) >= 1e21) return String(value);
    return value === 0 && 1 / value < 0 ? '-0.0' : `${value}.0`;
  }
  if (Number.isFinite(value)) return String(value);
  return `{"$double":"${value}"}`;
}

/**
 * JSON text of bytes (`{"$base64": ...}`).
 * @example bytesJson(new Uint8Array([1, 2])) // '{"$base64":"AQI="}'
 */
export function bytesJson(bytes: Uint8Array): string {
  return `{"$base64":"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"}`;
}

/**
 * Decimal text of an unsigned 64-bit integer given as two 32-bit words.
 * @example uint64Decimal(0, 1) // '4294967296'
 */
export function uint64Decimal(low: number, high: number): string {
  if (high < SAFE_HIGH) return String(high * TWO_32 + low);
  return ((BigInt(high) << 32n) | BigInt(low)).toString();
}

/**
 * Decimal text of a signed 64-bit integer (two's complement) given as two 32-bit words.
 * @example int64Decimal(0xffffffff, 0xffffffff) // '-1'
 */
export function int64Decimal(low: number, high: number): string {
  if (high < SAFE_HIGH) return String(high * TWO_32 + low);
  if (high >= SAFE_NEGATIVE_HIGH) return String((high - TWO_32) * TWO_32 + low);
  return int64BigInt(low, high).toString();
}

/**
 * A signed 64-bit integer (two's complement words) as a bigint.
 * @example int64BigInt(5, 0) // 5n
 */
export function int64BigInt(low: number, high: number): bigint {
  if (high < SAFE_HIGH) return BigInt(high * TWO_32 + low);
  if (high >= SAFE_NEGATIVE_HIGH) return BigInt((high - TWO_32) * TWO_32 + low);
  return BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Lowercase hex of a byte range (trace and span ids).
 * @example hexOf(new Uint8Array([0xab, 1]), 0, 2) // 'ab01'
 */
export function hexOf(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += HEX[bytes[i]!];
  return out;
}

/**
 * One exemplar from its fields already as JSON text (`attributes` an object text), in the order core's
 * `encodeExemplars` writes them.
 * @example exemplarJson('1700000000000000000', '2.5', 'ab', 'cd', '{}')
 */
export function exemplarJson(
  time: string,
  value: string,
  traceId: string,
  spanId: string,
  attributes: string,
): string {
  return `{"timeUnixNano":${time},"value":${value},"traceId":"${traceId}","spanId":"${spanId}","filteredAttributes":${attributes}}`;
}

/**
 * The `resource` column text (same layout as core's `encodeResource`); `attributes` is the inner object text.
 * @example resourceJson('"service.name":"oms"', 0, '') // '{"attributes":{"service.name":"oms"},"droppedAttributesCount":0,"schemaUrl":""}'
 */
export function resourceJson(attributes: string, droppedAttributesCount: number, schemaUrl: string): string {
  return `{"attributes":{${attributes}},"droppedAttributesCount":${droppedAttributesCount},"schemaUrl":${JSON.stringify(schemaUrl)}}`;
}

/**
 * The `scope` column text (same layout as core's `encodeScope`).
 * @example scopeJson('trading.oms', '2.1.0', '', 0, '')
 */
export function scopeJson(
  name: string,
  version: string,
  attributes: string,
  droppedAttributesCount: number,
  schemaUrl: string,
): string {
  return `{"name":${JSON.stringify(name)},"version":${JSON.stringify(version)},"attributes":{${attributes}},"droppedAttributesCount":${droppedAttributesCount},"schemaUrl":${JSON.stringify(schemaUrl)}}`;
}
