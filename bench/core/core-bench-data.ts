import type { Timings } from '../lib/timing.ts';
import type { DuckdbQueryResult } from './duckdb-queries.ts';
import type { IngestResult } from './ingest-bench.ts';
import type { PostgresLoadResult } from './postgres-load.ts';
import type { SelfInstrumentationResult } from './self-instrumentation-bench.ts';
import type { SingleInsertResult } from './single-insert-bench.ts';

/** Everything the core benchmark measured, as the report renders it. */
export interface CoreBenchData {
  /** Rows the query workloads ran on. */
  queryRows: number;
  /** Runs per timed DuckDB query, builder and raw SQL (after one warm-up). */
  runs: number;
  /** Runs per timed PostgreSQL query (after one warm-up). */
  postgresRuns: number;
  ingest: IngestResult[];
  duckdb: Map<string, DuckdbQueryResult>;
  single: SingleInsertResult;
  /** Core ingest with and without OpenTelemetry providers registered. */
  telemetry: SelfInstrumentationResult;
  /** Bytes per row of the query database file (checkpointed). */
  duckdbBytesPerRow: number;
  postgres?: {
    version: string;
    settings: Record<string, string>;
    load: PostgresLoadResult;
    queries: Map<string, Timings>;
  };
  /** Why PostgreSQL is missing, when it is. */
  postgresSkipped?: string;
}
