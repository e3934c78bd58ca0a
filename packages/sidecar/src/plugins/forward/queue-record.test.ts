import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, plainBytes } from './queue-record.ts';

describe('queue records', () => {
  it('keep signal, encoding and the gzip flag, and know a gzip body’s plain size from its trailer', () => {
    const plain = Buffer.from('x'.repeat(5000));
    const records = [
      { signal: 'metrics' as const, encoding: 'protobuf' as const, body: plain, enqueuedAtMs: 1 },
      {
        signal: 'logs' as const,
        encoding: 'json' as const,
        body: gzipSync(plain),
        gzip: true,
        enqueuedAtMs: 2,
      },
    ];
    for (const record of records) {
      const decoded = decodeRecord(encodeRecord(record));
      expect(decoded).toEqual({ ...record, body: Buffer.from(record.body) });
      expect(plainBytes(decoded!)).toBe(5000);
    }
    const damaged = encodeRecord(records[1]!);
    damaged.writeUInt8(damaged.readUInt8(16) ^ 4, 16);
    expect(decodeRecord(damaged)).toBeUndefined();
  });
});
