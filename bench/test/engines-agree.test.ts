import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@duckside/core';
import { afterAll, describe, expect, it } from 'vitest';
import { duckdbQueries } from '../core/duckdb-queries.ts';
import { ingestBench } from '../core/ingest-bench.ts';
import { postgresSide } from '../core/postgres-side.ts';
import { QUERY_WORKLOADS } from '../core/query-workloads.ts';

const ROWS = 30_000;
const dir = mkdtempSync(join(tmpdir(), 'duckside-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = () => undefined;

describe('the core benchmark measures the same work on every engine', () => {
  it('core and the raw appender store identical rows, the builder, raw SQL and PostgreSQL return the same results', async () => {
    // ingestBench throws when the two databases' fingerprints differ.
    const ingest = await ingestBench(ROWS, dir, quiet);
    expect(ingest.rows).toBe(ROWS);
    expect(ingest.coreRowsPerS).toBeGreaterThan(0);
    const db = await Database.open({ path: ingest.corePath });
    let duckdb: Awaited<ReturnType<typeof duckdbQueries>>;
    try {
      // duckdbQueries throws when the builder's result differs from raw SQL's.
      duckdb = await duckdbQueries(db, QUERY_WORKLOADS, 1, quiet);
      const [{ n }] = (await db.all<{ n: number }>({
        sql: 'SELECT count(*) AS n FROM trading_metrics',
        params: [],
      })) as [{ n: number }];
      expect(n).toBe(ROWS);
    } finally {
      await db.close();
    }
    for (const w of QUERY_WORKLOADS) expect(duckdb.get(w.id)?.rows, w.id).toBeGreaterThan(0);
    const expected = new Map([...duckdb].map(([id, q]) => [id, { rows: q.rows, columns: q.columns }]));
    // postgresQueries throws when PostgreSQL's result differs from DuckDB's.
    const pg = await postgresSide(ROWS, QUERY_WORKLOADS, expected, 1, quiet);
    expect(pg.postgresSkipped).toBeUndefined();
    expect(pg.postgres?.queries.size).toBe(QUERY_WORKLOADS.length);
    expect(pg.postgres?.load.totalBytes).toBeGreaterThan(0);
  }, 180_000);
});
