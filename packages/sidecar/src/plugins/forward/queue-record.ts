import { crc32 } from 'node:zlib';
import type { CommittedExport } from '../../plugin-api/plugin.ts';

/**
 * Bytes before a record's body: length (u32), CRC-32 (u32), enqueue time in ms (f64), kind (u8: bit 0 logs, bit 1
 * JSON, bit 2 gzip body), 3 spare.
 */
export const RECORD_HEADER_BYTES = 20;

/** One forwarded request as kept in a queue segment. */
export interface QueueRecord {
  readonly signal: CommittedExport['signal'];
  readonly encoding: CommittedExport['encoding'];
  /** The request's bytes: gzip-compressed when `gzip` is set (as the client sent them), else plain. */
  readonly body: Uint8Array;
  readonly gzip?: boolean;
  /** When it was queued (ms since the epoch), for the lag metric. */
  readonly enqueuedAtMs: number;
}

/**
 * A record framed for a segment file: the header, then the body. The CRC covers everything after the CRC
 * field, so a torn or damaged record is recognised.
 * @example const bytes = encodeRecord({ signal: 'metrics', encoding: 'protobuf', body, enqueuedAtMs: Date.now() });
 */
export function encodeRecord(record: QueueRecord): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + record.body.byteLength);
  out.writeUInt32LE(record.body.byteLength, 0);
  out.writeDoubleLE(record.enqueuedAtMs, 8);
  out.writeUInt32LE(kindOf(record), 16);
  out.set(record.body, RECORD_HEADER_BYTES);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

/**
 * The body length a header announces.
 * @example const total = RECORD_HEADER_BYTES + bodyLength(header);
 */
export function bodyLength(header: Uint8Array): number {
  return Buffer.from(header.buffer, header.byteOffset, header.byteLength).readUInt32LE(0);
}

/**
 * Decodes a whole framed record (header and body), or `undefined` when its CRC does not match.
 * @example const record = decodeRecord(bytes);
 */
export function decodeRecord(bytes: Buffer): QueueRecord | undefined {
  if (bytes.byteLength < RECORD_HEADER_BYTES) return undefined;
  if (bytes.readUInt32LE(0) !== bytes.byteLength - RECORD_HEADER_BYTES) return undefined;
  if (crc32(bytes.subarray(8)) !== bytes.readUInt32LE(4)) return undefined;
  const kind = bytes.readUInt32LE(16);
  return {
    signal: kind & 1 ? 'logs' : 'metrics',
    encoding: kind & 2 ? 'json' : 'protobuf',
    ...(kind & 4 ? { gzip: true } : {}),
    enqueuedAtMs: bytes.readDoubleLE(8),
    body: bytes.subarray(RECORD_HEADER_BYTES),
  };
}

/**
 * How many bytes a record's request has uncompressed: its body's length, or for a gzip body the size its last
 * member's trailer gives (ISIZE: the whole size of the usual one-member body; for a body of several members
 * only the last one's, which at worst makes a batch larger than `maxBatchBytes`).
 * @example plainBytes({ ...record, gzip: true }) // ISIZE of the body
 */
export function plainBytes(record: QueueRecord): number {
  const b = record.body;
  if (!record.gzip || b.byteLength < 18) return b.byteLength;
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).readUInt32LE(b.byteLength - 4);
}

function kindOf(record: QueueRecord): number {
  return (record.signal === 'logs' ? 1 : 0) | (record.encoding === 'json' ? 2 : 0) | (record.gzip ? 4 : 0);
}
