import type { DuckDBConnection } from '@duckdb/node-api';
import type { TargetTable } from '../targets/target-tables.ts';

/** Count and sum of one UTC day, as verification compares them. */
export interface DayTotal {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  count: number;
  /** Sum of the target's sum column (null when the target has none). */
  sum: number | null;
}

/** A row a source could not import, with where it came from. */
export interface BadRow {
  /** File (or source) the row came from. */
  file: string;
  /** 1-based line (CSV) or row number (Parquet) within the file. */
  line: number;
  problem: string;
}

/** What a source run did. */
export interface SourceRunResult {
  /** Rows written to the target in this run. */
  rows: number;
  /** Rows rejected (not written); `badRows` lists the first ones. */
  rejected: number;
  badRows: BadRow[];
  /** True when the source had already been fully imported and nothing was read. */
  skipped: boolean;
}

/** What an import run hands to its source. */
export interface ImportContext {
  /** The connection the import holds (session time zone UTC); use `commit` for writes. */
  readonly connection: DuckDBConnection;
  /** Watermark committed by an earlier run of this source, or null. */
  readonly watermark: string | null;
  /** Text of the resource that names this import (metrics get it as their `resource`). */
  readonly resource: string;
  /**
   * Runs `write` and records `watermark` (and the rows it returns) in one transaction, so that a crash leaves
   * either both or neither.
   */
  commit(write: (connection: DuckDBConnection) => Promise<number>, watermark: string): Promise<void>;
  /** Reports progress: rows read so far in this run, and the expected total when known. */
  progress(rows: number, total?: number): void;
}

/**
 * Something rows are imported from: PostgreSQL/TimescaleDB, CSV or Parquet files. A source knows its stable id
 * (the watermark key), streams rows after a watermark into its target, and totals itself per day.
 * @example
 * const source = await PostgresSource.open({ url, table: 'metrics', preset: 'metrics' });
 * const report = await runImport(db, source);
 */
export interface Source {
  /** Stable identity of the source: the key of its watermark and the name in the metrics' resource. */
  readonly id: string;
  /** What is imported, for people. */
  readonly description: string;
  /** Where rows go. */
  readonly target: TargetTable;
  /**
   * True when the imported rows carry the import's resource (metrics), so verification can tell them apart;
   * false when they are copied verbatim.
   */
  readonly marksRows: boolean;
  /** Imports the rows after `context.watermark`. */
  run(context: ImportContext): Promise<SourceRunResult>;
  /** Per-day counts and sums of the whole source (the rows an import takes), sorted by day. */
  dailyTotals(connection: DuckDBConnection): Promise<DayTotal[]>;
  /** Releases connections and temporary tables. */
  close(): Promise<void>;
}
