/**
 * Protobuf wire encoding of the few small messages the receivers answer with (export responses,
 * `google.rpc.Status`, `RetryInfo`): fields are concatenated byte strings, proto3 style (a zero or empty field
 * is left out).
 */

/**
 * A varint field (wire type 0); nothing when `value` is 0. `value` must be a non-negative safe integer.
 * @example varintField(1, 14) // 08 0e
 */
export function varintField(field: number, value: number): Uint8Array {
  if (value === 0) return EMPTY;
  const out: number[] = [field << 3];
  pushVarint(out, value);
  return Uint8Array.from(out);
}

/**
 * A length-delimited field (wire type 2) holding `payload`; nothing when `payload` is empty and `keepEmpty`
 * is not set (a sub-message that must be present, like `partial_success`, sets it).
 * @example bytesField(2, Buffer.from('hi')) // 12 02 68 69
 */
export function bytesField(field: number, payload: Uint8Array, keepEmpty = false): Uint8Array {
  if (payload.byteLength === 0 && !keepEmpty) return EMPTY;
  const head: number[] = [(field << 3) | 2];
  pushVarint(head, payload.byteLength);
  return Buffer.concat([Uint8Array.from(head), payload]);
}

/**
 * A string field (UTF-8, length-delimited); nothing when `text` is empty.
 * @example stringField(2, 'retry later')
 */
export function stringField(field: number, text: string): Uint8Array {
  return bytesField(field, Buffer.from(text, 'utf8'));
}

/**
 * Concatenates encoded fields into one message.
 * @example message(varintField(1, 3), stringField(2, 'bad'))
 */
export function message(...fields: Uint8Array[]): Uint8Array {
  return Buffer.concat(fields);
}

const EMPTY = new Uint8Array(0);

function pushVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}
