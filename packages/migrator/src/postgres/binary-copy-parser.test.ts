import { describe, expect, it } from 'vitest';
import { copyStream } from '../../test/copy-stream.ts';
import { BinaryCopyParser } from './binary-copy-parser.ts';

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
