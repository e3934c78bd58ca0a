import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@duckside/core';
import { afterAll, describe, expect, it } from 'vitest';
import { CORE_TARGET_KEYS, coreRatioTargets } from '../core/core-ratio-targets.ts';
import { duckdbQueries } from '../core/duckdb-queries.ts';
import { ingestBench } from '../core/ingest-bench.ts';
import { postgresSide } from '../core/postgres-side.ts';
import { QUERY_WORKLOADS } from '../core/query-workloads.ts';
import { selfInstrumentationBench } from '../core/self-instrumentation-bench.ts';
import { singleInsertBench } from '../core/single-insert-bench.ts';

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

    // Every measured pair becomes a ratio target: ingest, builder vs raw SQL (where the builder has the query),
    // Duckside vs PostgreSQL (every query), concurrent inserts vs one insertMetrics call.
    const single = await singleInsertBench(dir, 1);
    const telemetry = await selfInstrumentationBench(ROWS, dir);
    expect(telemetry.ratio).toBeGreaterThan(0);
    expect(telemetry.noProviderCommitUs).toBeGreaterThan(0);
    const targets = coreRatioTargets({
      queryRows: ROWS,
      runs: 1,
      postgresRuns: 1,
      ingest: [ingest],
      duckdb,
      single,
      telemetry,
      duckdbBytesPerRow: ingest.coreFileBytes / ROWS,
      ...pg,
    });
    const withApi = QUERY_WORKLOADS.filter((w) => w.api);
    expect(targets.map((t) => t.key).sort()).toEqual(
      [
        CORE_TARGET_KEYS.ingest(ROWS),
        ...withApi.map((w) => CORE_TARGET_KEYS.apiOverRaw(w.id)),
        ...QUERY_WORKLOADS.map((w) => CORE_TARGET_KEYS.postgresOverDuckside(w.id)),
        CORE_TARGET_KEYS.concurrentOverBatch,
        CORE_TARGET_KEYS.selfInstrumentation,
      ].sort(),
    );
    const byKey = new Map(targets.map((t) => [t.key, t]));
    expect(byKey.get(CORE_TARGET_KEYS.ingest(ROWS))?.ratio).toBe(ingest.ratio);
    const first = withApi[0]!.id;
    expect(byKey.get(CORE_TARGET_KEYS.apiOverRaw(first))?.ratio).toBe(
      duckdb.get(first)!.api!.median / duckdb.get(first)!.raw.median,
    );
    expect(byKey.get(CORE_TARGET_KEYS.concurrentOverBatch)?.ratio).toBeCloseTo(
      single.concurrentRowsPerS / (10_000 / (single.batch10kMs / 1000)),
    );
    for (const t of targets) expect(t.ratio, t.key).toBeGreaterThan(0);
  }, 240_000);
});
