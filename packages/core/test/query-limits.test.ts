import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compiled,
  Database,
  MetricRecord,
  QueryError,
  QueryTimeoutError,
  selectMetrics,
} from '../src/index.ts';
import { errorOf } from './support/error-of.ts';

const T0 = Date.UTC(2024, 0, 2);
const CROSS_JOIN = compiled<{ n: bigint }>(
  'SELECT count(*) AS n FROM range(100000000) a, range(100000000) b',
  [],
);

let db: Database;
beforeAll(async () => {
  // One connection, so that "the same pool connection" is the only one there is.
  db = await Database.open({ path: ':memory:', pool: { max: 1, min: 1 } });
  await db.insertMetrics(Array.from({ length: 50 }, (_, i) => new MetricRecord('capped', i, T0 + i * 1000)));
});
afterAll(() => db.close());

const currentConnection = () => db.withConnection(async (c) => c);

describe('query time limit', () => {
  it('interrupts a long query with QueryTimeoutError; the same connection works afterwards', async () => {
    const before: DuckDBConnection = await currentConnection();
    const error = await errorOf(QueryTimeoutError, () => db.query(CROSS_JOIN, { timeoutMs: 200 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('200 ms');
    expect(error.message).not.toMatch(/SELECT|range\(/);
    expect(await currentConnection()).toBe(before);
    expect(db.poolStats()).toMatchObject({ size: 1, borrowed: 0 });
    const { rows } = await db.query(compiled<{ n: number }>('SELECT 40 + 2 AS n', []));
    expect(rows).toEqual([{ n: 42 }]);
  });

  it('interrupts a streamed (row-capped) query too', async () => {
    await errorOf(QueryTimeoutError, () => db.query(CROSS_JOIN, { timeoutMs: 100, maxRows: 10 }));
    expect((await db.execute(selectMetrics().name('capped'))).rows).toHaveLength(50);
  });

  it('leaves a query that finishes in time alone: its timer does not interrupt the next query', async () => {
    const { rows } = await db.query(compiled<{ n: number }>('SELECT 1 AS n', []), { timeoutMs: 300 });
    expect(rows).toEqual([{ n: 1 }]);
    // A timer left running would interrupt this query at about 300 ms, which would then fail as a plain
    // QueryError; only its own limit may stop it.
    const error = await errorOf(QueryTimeoutError, () => db.query(CROSS_JOIN, { timeoutMs: 1500 }));
    expect(error.message).toContain('1500 ms');
  });

  it('reports a failing query as QueryError without SQL in the message', async () => {
    const error = await errorOf(QueryError, () =>
      db.query(compiled('SELECT * FROM no_such_table WHERE x = ?', [1])),
    );
    expect(error.code).toBe('query');
    expect(error.message).not.toMatch(/SELECT|no_such_table/);
    expect(String((error.cause as Error).message)).toContain('no_such_table');
  });
});

describe('row cap', () => {
  it.each([
    [10, 10, true],
    [49, 49, true],
    [50, 50, false],
    [1000, 50, false],
  ])('maxRows %i returns %i rows, truncated %s', async (maxRows, count, truncated) => {
    const result = await db.execute(selectMetrics().name('capped').order('asc'), { maxRows });
    expect(result.truncated).toBe(truncated);
    expect(result.rows.map((r) => r.value)).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('caps results larger than one data chunk', async () => {
    const result = await db.query(
      compiled<{ range: number }>('SELECT range FROM range(10000) ORDER BY range', []),
      {
        maxRows: 3000,
      },
    );
    expect(result.truncated).toBe(true);
    expect(result.rows).toHaveLength(3000);
    expect(result.rows[2999]).toEqual({ range: 2999 });
  });

  it('is not truncated for an empty result', async () => {
    expect(await db.execute(selectMetrics().name('nothing'), { maxRows: 5 })).toEqual({
      rows: [],
      truncated: false,
    });
  });

  it('runs builders and compiled queries alike; all() returns the rows', async () => {
    const builder = selectMetrics().name('capped').limit(3);
    expect(await db.execute(builder)).toEqual(await db.execute(builder.compile()));
    expect(await db.all(builder.compile())).toEqual((await db.execute(builder)).rows);
  });
});
