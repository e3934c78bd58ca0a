/** One protobuf field: its number, how it is encoded, and its value. */
export type ProtoField =
  | readonly [field: number, kind: 'varint', value: number | bigint]
  | readonly [field: number, kind: 'fixed64' | 'sfixed64', value: bigint]
  | readonly [field: number, kind: 'double', value: number]
  | readonly [field: number, kind: 'string', value: string]
  | readonly [field: number, kind: 'bytes', value: Uint8Array]
  | readonly [field: number, kind: 'message', value: readonly ProtoField[] | Uint8Array]
  | readonly [field: number, kind: 'packed-fixed64', value: readonly bigint[]]
  | readonly [field: number, kind: 'packed-double', value: readonly number[]];

/**
 * Encodes a protobuf message from a list of fields (a writer for hand-made OTLP payloads the OpenTelemetry SDK
 * cannot produce: summaries, kvlist and bytes attributes, hostile shapes).
 * @example encodeMessage([[1, 'string', 'my.metric'], [5, 'message', [[1, 'message', []]]]]);
 */
export function encodeMessage(fields: readonly ProtoField[]): Buffer {
  const parts: Buffer[] = [];
  for (const [field, kind, value] of fields) {
    switch (kind) {
      case 'varint':
        parts.push(varint(tag(field, 0)), varint(BigInt.asUintN(64, BigInt(value))));
        break;
      case 'fixed64':
      case 'sfixed64': {
        const b = Buffer.alloc(8);
        b.writeBigUInt64LE(BigInt.asUintN(64, value));
        parts.push(varint(tag(field, 1)), b);
        break;
      }
      case 'double': {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(value);
        parts.push(varint(tag(field, 1)), b);
        break;
      }
      case 'string':
        parts.push(lengthDelimited(field, Buffer.from(value, 'utf8')));
        break;
      case 'bytes':
        parts.push(lengthDelimited(field, value));
        break;
      case 'message':
        parts.push(lengthDelimited(field, value instanceof Uint8Array ? value : encodeMessage(value)));
        break;
      case 'packed-fixed64': {
        const b = Buffer.alloc(8 * value.length);
        for (const [i, v] of value.entries()) b.writeBigUInt64LE(BigInt.asUintN(64, v), i * 8);
        parts.push(lengthDelimited(field, b));
        break;
      }
      case 'packed-double': {
        const b = Buffer.alloc(8 * value.length);
        for (const [i, v] of value.entries()) b.writeDoubleLE(v, i * 8);
        parts.push(lengthDelimited(field, b));
        break;
      }
    }
  }
  return Buffer.concat(parts);
}

/** A base-128 varint. */
export function varint(value: number | bigint): Buffer {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}

/** The tag and length of a length-delimited field whose content is `length` bytes long. */
export function lengthHeader(field: number, length: number): Buffer {
  return Buffer.concat([varint(tag(field, 2)), varint(length)]);
}

/**
 * Nests `leaf` `depth` times; `level(innerLength)` gives the bytes that precede the inner content at one level
 * (built without re-copying the growing body, so deep nesting stays linear).
 * @example nest(leaf, 10_000, (n) => lengthHeader(1, n));
 */
export function nest(leaf: Buffer, depth: number, level: (innerLength: number) => Buffer): Buffer {
  const prefixes: Buffer[] = [];
  let length = leaf.length;
  for (let i = 0; i < depth; i++) {
    const prefix = level(length);
    prefixes.push(prefix);
    length += prefix.length;
  }
  prefixes.reverse();
  prefixes.push(leaf);
  return Buffer.concat(prefixes);
}

function tag(field: number, wireType: number): bigint {
  return (BigInt(field) << 3n) | BigInt(wireType);
}

function lengthDelimited(field: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([lengthHeader(field, bytes.length), bytes]);
}
