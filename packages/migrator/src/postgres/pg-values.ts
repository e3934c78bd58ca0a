/** Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
const PG_EPOCH_MICROS = 946_684_800_000_000;
const TWO_32 = 4294967296;

/**
 * Reads a binary `timestamp`/`timestamptz` field as unix microseconds (a safe integer), or null for ±infinity.
 * @example readTimestampMicros(buf, start) // 1704067200000000
 */
export function readTimestampMicros(buffer: Buffer, start: number): number | null {
  const high = buffer.readInt32BE(start);
  const low = buffer.readUInt32BE(start + 4);
  if ((high === 0x7fffffff && low === 0xffffffff) || (high === -0x80000000 && low === 0)) return null;
  return high * TWO_32 + low + PG_EPOCH_MICROS;
}

/**
 * Formats unix microseconds as RFC 3339 UTC with six fractional digits (the watermark text).
 * @example microsToIso(1704067200000001) // '2024-01-01T00:00:00.000001Z'
 */
export function microsToIso(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(fraction).padStart(6, '0')}Z`;
}
