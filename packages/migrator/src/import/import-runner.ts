import type { DuckDBConnection } from '@duckdb/node-api';
import { type Database, SchemaError } from '@duckside/core';
import { encodeResource, markWrittenSince, rowMarks } from '@duckside/core/ingest';
import { MappingError } from '../errors/errors.ts';
import type { BadRow, ImportContext, Source } from './source.ts';
import { targetBaseline, type VerificationReport, verifyImport } from './verification.ts';
import { readWatermark, WATERMARKS_TABLE, writeWatermark } from './watermarks.ts';

/** Options of an import run. */
export interface ImportOptions {
  /** Compare per-day counts and sums with the source afterwards (default true). */
  verify?: boolean;
  /** Called as rows are read: rows so far in this run and the expected total when known. */
  onProgress?: (rows: number, total?: number) => void;
}

/** What an import did. */
export interface ImportReport {
  sourceId: string;
  description: string;
  target: string;
  /** Rows written by this run. */
  rows: number;
  /** Rows written by every run of this source so far. */
  totalRows: number;
  rejected: number;
  badRows: BadRow[];
  /** True when the source was already fully imported. */
  skipped: boolean;
  /** Watermark after the run (null when nothing was ever imported). */
  watermark: string | null;
  durationMs: number;
  rowsPerSecond: number;
  verification: VerificationReport | null;
}

/**
 * The resource that marks rows of an import: `{"attributes":{"duckside.import.source": <source id>}}`.
 * @example importResource('postgres://db.internal:5432/tsdb?table=metrics')
 */
export function importResource(sourceId: string): string {
  return encodeResource({
    attributes: { 'duckside.import.source': sourceId },
    droppedAttributesCount: 0,
    schemaUrl: '',
  });
}

/**
 * Imports a source into its target table on one held connection: batches are committed together with the
 * source's watermark (so a crash, even `kill -9`, loses no committed rows and a re-run repeats none), then,
 * unless disabled, per-day counts and sums are compared with the source.
 * @example const report = await runImport(db, source, { onProgress: (n) => console.log(n) });
 */
export async function runImport(
  db: Database,
  source: Source,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const started = performance.now();
  return db.withConnection(async (connection) => {
    await connection.run(`SET TimeZone = 'UTC'`);
    try {
      await requireWatermarkTable(connection);
      const previous = await readWatermark(connection, source.id);
      if (previous && previous.targetTable !== source.target.name) {
        throw new MappingError(
          `source ${source.id} was imported into ${previous.targetTable}, not ${source.target.name}; use another --source-id`,
        );
      }
      const resource = importResource(source.id);
      let totalRows = previous?.rowsImported ?? 0;
      let watermark = previous?.watermark ?? null;
      const context: ImportContext = {
        connection,
        watermark,
        resource,
        progress: (rows, total) => options.onProgress?.(rows, total),
        commit: async (write, nextWatermark) => {
          await connection.run('BEGIN TRANSACTION');
          try {
            // The rows this batch adds get their rollup buckets marked dirty in the same transaction.
            const marks = await rowMarks(connection);
            const rows = await write(connection);
            await markWrittenSince(connection, marks);
            await writeWatermark(connection, {
              sourceId: source.id,
              targetTable: source.target.name,
              watermark: nextWatermark,
              rowsImported: totalRows + rows,
            });
            await connection.run('COMMIT');
            totalRows += rows;
            watermark = nextWatermark;
          } catch (error) {
            await connection.run('ROLLBACK').catch(() => undefined);
            throw error;
          }
        },
      };
      // An unmarked target's rows of this import are told apart by what was there before its first run.
      const baseline =
        options.verify === false || previous ? null : await targetBaseline(connection, source, resource);
      const result = await source.run(context);
      const durationMs = performance.now() - started;
      const verification =
        options.verify === false ? null : await verifyImport(connection, source, resource, baseline);
      return {
        sourceId: source.id,
        description: source.description,
        target: source.target.name,
        ...result,
        totalRows,
        watermark,
        durationMs,
        rowsPerSecond: durationMs > 0 ? (result.rows * 1000) / durationMs : 0,
        verification,
      };
    } finally {
      await connection.run('RESET TimeZone').catch(() => undefined);
    }
  });
}

async function requireWatermarkTable(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?`,
    [WATERMARKS_TABLE],
  );
  if (Number(reader.getRowObjectsJS()[0]?.n ?? 0) === 0) {
    throw new SchemaError('the database has no import watermark table yet: run `duckside-migrate up` first');
  }
}
