import { describe, expect, it } from 'vitest';
import { BinaryCopyParser } from './binary-copy-parser.ts';

/** Builds a binary COPY stream of rows of (int4 | null, text) fields. */
function copyStream(rows: (string | null)[][]): Buffer {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (const field of row) {
      const length = Buffer.alloc(4);
      const bytes = field === null ? Buffer.alloc(0) : Buffer.from(field);
      length.writeInt32BE(field === null ? -1 : bytes.length);
      parts.push(length, bytes);
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

function parse(stream: Buffer, chunkSize: number): (string | null)[][] {
  const rows: (string | null)[][] = [];
  const parser = new BinaryCopyParser(2, (buffer, starts, lengths) => {
    rows.push(
      [0, 1].map((i) =>
        (lengths[i] as number) < 0
          ? null
          : buffer.toString('utf8', starts[i], (starts[i] as number) + (lengths[i] as number)),
      ),
    );
  });
  for (let at = 0; at < stream.length; at += chunkSize) parser.write(stream.subarray(at, at + chunkSize));
  parser.end();
  return rows;
}

describe('BinaryCopyParser', () => {
  const rows = [
    ['BTC/USD', '{"a": 1}'],
    [null, ''],
    ['ünïcødé', 'x'.repeat(300)],
  ];

  it('parses the same rows whatever the chunk boundaries', () => {
    const stream = copyStream(rows);
    for (const size of [1, 2, 3, 7, 64, stream.length]) expect(parse(stream, size)).toEqual(rows);
  });

  it('rejects a stream that is not binary COPY, a wrong field count and a missing trailer', () => {
    expect(() => parse(Buffer.from('time\tname\n2024\tx\n\\.\n'), 64)).toThrow(/not in binary COPY format/);
    expect(() => parse(copyStream([['a', 'b', 'c']]), 64)).toThrow(/expected 2 fields per row, got 3/);
    const truncated = copyStream(rows).subarray(0, -2);
    expect(() => parse(truncated, 64)).toThrow(/ended before its trailer/);
  });
});
