import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@duckside/core';
import type { BenchOptions, BenchSection } from './bench-section.ts';
import type { ResultFigures } from './core/assert-same-result.ts';
import type { CoreBenchData } from './core/core-bench-data.ts';
import { coreMarkdown } from './core/core-markdown.ts';
import { coreRatioTargets } from './core/core-ratio-targets.ts';
import { coreResults } from './core/core-results.ts';
import { duckdbQueries } from './core/duckdb-queries.ts';
import { type IngestResult, ingestBench } from './core/ingest-bench.ts';
import { postgresSide } from './core/postgres-side.ts';
import { QUERY_WORKLOADS } from './core/query-workloads.ts';
import { selfInstrumentationBench } from './core/self-instrumentation-bench.ts';
import { singleInsertBench } from './core/single-insert-bench.ts';
import { ratioResults } from './lib/ratio-target.ts';

/** Options of the core section beyond quick mode. */
export interface CoreBenchOptions extends BenchOptions {
  /** Run PostgreSQL side by side (default true; skipped with a note when it is not installed). */
  postgres?: boolean;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** Timed runs of each query on PostgreSQL (its slowest take seconds each). */
const RUNS = 5;
/**
 * Timed runs of each query through the builder and as raw DuckDB SQL: more than PostgreSQL's, because these take
 * milliseconds and a median of 5 moved a builder ratio by 0.15x between runs of the same code.
 */
const DUCKDB_RUNS = 15;

/**
 * The core benchmark: ingest through core vs raw data chunks (1M, and 10M unless quick), the query workloads
 * through the builder, raw DuckDB SQL and PostgreSQL on the largest data set, and single inserts.
 * @example const section = await run({ quick: true });
 */
export async function run(options: CoreBenchOptions): Promise<BenchSection> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sizes = options.quick ? [1_000_000] : [1_000_000, 10_000_000];
  const dir = mkdtempSync(join(tmpdir(), 'duckside-bench-'));
  try {
    const ingest: IngestResult[] = [];
    for (const rows of sizes) {
      log(`core: ingest ${rows.toLocaleString('en-US')} points (core and raw)`);
      ingest.push(await ingestBench(rows, dir, log));
    }
    const largest = ingest[ingest.length - 1]!;
    log(`core: queries on ${largest.rows.toLocaleString('en-US')} rows`);
    const db = await Database.open({ path: largest.corePath });
    let duckdb: CoreBenchData['duckdb'];
    try {
      duckdb = await duckdbQueries(db, QUERY_WORKLOADS, DUCKDB_RUNS, log);
    } finally {
      await db.close();
    }
    log('core: single inserts');
    const single = await singleInsertBench(dir, RUNS);
    log('core: self-instrumentation');
    // 4M points (40 batches a side): with fewer, one checkpoint landing on one side moves the ratio by percents.
    const telemetry = await selfInstrumentationBench(4_000_000, dir);
    const expected = new Map<string, ResultFigures>(
      [...duckdb].map(([id, q]) => [id, { rows: q.rows, columns: q.columns }]),
    );
    const pg =
      options.postgres === false
        ? { postgresSkipped: 'disabled with --no-postgres' }
        : await postgresSide(largest.rows, QUERY_WORKLOADS, expected, RUNS, log);
    const data: CoreBenchData = {
      queryRows: largest.rows,
      runs: DUCKDB_RUNS,
      postgresRuns: RUNS,
      ingest,
      duckdb,
      single,
      telemetry,
      duckdbBytesPerRow: largest.coreFileBytes / largest.rows,
      ...pg,
    };
    const targets = coreRatioTargets(data);
    const results = { ...coreResults(data), ...ratioResults(targets) };
    return {
      title: 'Core storage engine',
      markdown: coreMarkdown(data, results, targets),
      results,
      targets,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
