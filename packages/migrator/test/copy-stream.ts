/**
 * Builds a binary COPY stream (`COPY ... TO STDOUT (FORMAT binary)`) for tests: each field is raw bytes, a
 * UTF-8 string or NULL.
 * @example copyStream([['BTC/USD', null]])
 */
export function copyStream(rows: readonly (readonly (Buffer | string | null)[])[]): Buffer {
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
