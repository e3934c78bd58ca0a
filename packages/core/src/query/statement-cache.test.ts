import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrepared } from './statement-cache.ts';

let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(() => instance.closeSync());

describe('runPrepared', () => {
  it('binds new values to a reused statement each time', async () => {
    const connection = await instance.connect();
    const sql = 'SELECT ?::INTEGER + 1 AS n, ?::VARCHAR AS s';
    for (const [n, s] of [
      [1, 'a'],
      [41, 'b'],
      [1, 'a'],
    ] as const) {
      expect((await runPrepared(connection, sql, [n, s])).getRowObjectsJS()).toEqual([{ n: n + 1, s }]);
    }
    connection.closeSync();
  });

  it('keeps working past the statement bound (least recently used dropped)', async () => {
    const connection = await instance.connect();
    for (let i = 0; i < 80; i++) {
      const reader = await runPrepared(connection, `SELECT ?::INTEGER * ${i} AS n`, [2]);
      expect(reader.getRowObjectsJS()).toEqual([{ n: 2 * i }]);
    }
    expect((await runPrepared(connection, 'SELECT ?::INTEGER * 0 AS n', [5])).getRowObjectsJS()).toEqual([
      { n: 0 },
    ]);
    connection.closeSync();
  });

  it('reads at most maxRows rows from a streaming result', async () => {
    const connection = await instance.connect();
    const reader = await runPrepared(connection, 'SELECT * FROM range(?::INTEGER) t(i)', [10_000], 5);
    expect(reader.currentRowCount).toBeGreaterThanOrEqual(5);
    expect(reader.currentRowCount).toBeLessThan(10_000);
    connection.closeSync();
  });

  it('sees a table replaced after the statement was prepared', async () => {
    const connection = await instance.connect();
    await connection.run('CREATE TABLE t AS SELECT 1 AS v');
    const sql = 'SELECT v FROM t WHERE v >= ?::INTEGER';
    expect((await runPrepared(connection, sql, [0])).getRowObjectsJS()).toEqual([{ v: 1 }]);
    await connection.run('DROP TABLE t');
    await connection.run("CREATE TABLE t AS SELECT 2 AS v, 'x' AS w");
    expect((await runPrepared(connection, sql, [0])).getRowObjectsJS()).toEqual([{ v: 2 }]);
    connection.closeSync();
  });
});
