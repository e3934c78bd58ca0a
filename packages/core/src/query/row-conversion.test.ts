import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { readRows } from './row-conversion.ts';

async function rowsOf(sql: string, maxRows?: number): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return readRows(await connection.runAndReadAll(sql), maxRows);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('readRows', () => {
  it('gives each type its documented JS value, row by row as the driver does', async () => {
    const sql = `SELECT * FROM (VALUES
      (TIMESTAMP '2024-01-02 03:04:05.678', 1700000000123456789::BIGINT, 42::BIGINT, 9007199254740993::BIGINT, 1.5::DOUBLE, 'a', [1.0, 2.0], true, NULL::BIGINT),
      (TIMESTAMP '2024-01-03 00:00:00', 5::BIGINT, -7::BIGINT, -9007199254740993::BIGINT, NULL, NULL, [], false, 3::BIGINT)
    ) t(ts, time_unix_nano, n, big, d, s, list, b, maybe)`;
    expect(await rowsOf(sql)).toEqual([
      {
        ts: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
        time_unix_nano: 1700000000123456789n,
        n: 42,
        big: 9007199254740993n,
        d: 1.5,
        s: 'a',
        list: [1, 2],
        b: true,
        maybe: null,
      },
      {
        ts: new Date(Date.UTC(2024, 0, 3)),
        time_unix_nano: 5n,
        n: -7,
        big: -9007199254740993n,
        d: null,
        s: null,
        list: [],
        b: false,
        maybe: 3,
      },
    ]);
  });

  it('cuts to maxRows, and keeps every name as an own property, __proto__ and quotes included', async () => {
    expect(await rowsOf('SELECT range AS i FROM range(5)', 2)).toEqual([{ i: 0 }, { i: 1 }]);
    const proto = await rowsOf('SELECT 1::BIGINT AS "__proto__", 2 AS "a""b"');
    expect(Object.getPrototypeOf(proto[0])).toBe(Object.prototype);
    expect(Object.keys(proto[0] ?? {})).toEqual(['__proto__', 'a"b']);
    expect(proto[0]?.['a"b']).toBe(2);
  });
});
