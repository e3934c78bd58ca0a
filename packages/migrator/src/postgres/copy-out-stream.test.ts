import { describe, expect, it } from 'vitest';
import { CopyFraming, type CopyStreamQuery } from './copy-out-stream.ts';

/** One protocol message: type byte, length (itself included), body. */
function message(code: string, body: Buffer | string): Buffer {
  const bytes = Buffer.from(body);
  const header = Buffer.alloc(5);
  header.write(code, 0, 'latin1');
  header.writeUInt32BE(bytes.length + 4, 1);
  return Buffer.concat([header, bytes]);
}

/** A stand-in for pg-copy-streams' query that records what the framing emits and hands back. */
function recordingQuery() {
  const record = { data: [] as Buffer[], ended: false, handedBack: [] as Buffer[], detached: 0 };
  const query: CopyStreamQuery = {
    connection: {},
    _buffer: { push: (chunk) => record.handedBack.push(Buffer.from(chunk)) },
    _parse: () => true,
    _detach: () => {
      record.detached++;
    },
    _cleanup: () => undefined,
    push: (data) => {
      if (data === null) record.ended = true;
      else record.data.push(Buffer.from(data));
      return true;
    },
  };
  return { query, record };
}

function feed(stream: Buffer, chunkSize: number) {
  const { query, record } = recordingQuery();
  const framing = new CopyFraming();
  // Copies, as a socket would give fresh chunks (the framing moves payloads inside them).
  for (let at = 0; at < stream.length && record.detached === 0; at += chunkSize) {
    framing.parse(query, Buffer.from(stream.subarray(at, at + chunkSize)));
  }
  return { ...record, connection: query.connection };
}

describe('CopyFraming', () => {
  const rows = ['first row', 'x'.repeat(300), '', 'ünïcødé', 'last'];
  const after = Buffer.concat([message('C', 'COPY 5\0'), message('Z', 'I')]);
  const stream = Buffer.concat([
    message('H', Buffer.from([1, 0, 1, 0, 1])),
    message('d', rows[0]!),
    message('N', 'a notice'),
    ...rows.slice(1).map((r) => message('d', r)),
    message('c', ''),
    after,
  ]);

  it('emits the CopyData payloads in order whatever the chunk boundaries, and hands back what follows the copy', () => {
    for (const size of [1, 2, 3, 4, 5, 6, 7, 13, 64, stream.length]) {
      const record = feed(stream, size);
      expect(Buffer.concat(record.data).toString()).toBe(rows.join(''));
      expect(record.ended).toBe(true);
      expect(record.detached).toBe(1);
      expect(record.connection).toBeNull();
      // The bytes after CopyDone in the chunk that ended the copy go back to pg (the socket has the rest).
      const copyEnd = stream.length - after.length;
      const chunkEnd = Math.min(Math.ceil(copyEnd / size) * size, stream.length);
      expect(Buffer.concat(record.handedBack)).toEqual(stream.subarray(copyEnd, chunkEnd));
    }
  });

  it('hands an ErrorResponse back to pg from its first byte, without ending the data', () => {
    const error = message('E', 'SERROR\0C22012\0Mdivision by zero\0\0');
    const rest = Buffer.concat([error, message('Z', 'I')]);
    const failing = Buffer.concat([message('H', Buffer.alloc(5)), message('d', 'row 1'), rest]);
    for (const size of [1, 5, 9, failing.length]) {
      const record = feed(failing, size);
      expect(record.detached).toBe(1);
      expect(record.connection).toBeNull();
      expect(record.ended).toBe(false);
      // From the error's first byte to the end of the chunk holding it.
      const errorAt = failing.length - rest.length;
      const chunkEnd = Math.min((Math.floor(errorAt / size) + 1) * size, failing.length);
      expect(Buffer.concat(record.handedBack)).toEqual(failing.subarray(errorAt, chunkEnd));
      expect(Buffer.concat(record.data).toString()).toBe('row 1');
    }
  });
});
