import { type Database, tableCounts } from '@duckside/core';
import type { Hono } from 'hono';
import { jsonResponse } from '../../http/json-response.ts';
import { QueryParams } from '../../http/query-params.ts';
import type { PluginQueries } from '../../plugin-api/plugin.ts';
import type { IngestRateMeter } from './ingest-rate-meter.ts';

/** The header figures of the dashboard. */
export interface DashboardSummary {
  /** Rows per data table, and the newest row's time or null. */
  tables: Array<{ table: string; rows: number; newest: Date | null }>;
  totalRows: number;
  /** Database file plus WAL, in bytes. */
  databaseBytes: number;
  /** Rows committed per second over the last minute; null until the sidecar has watched for a second. */
  ingestRowsPerSecond: number | null;
  /** Rows committed since the sidecar started. */
  rowsWritten: number;
  queuedWrites: number;
}

/** One count per data table: fixed SQL, built once. */
const COUNTS = tableCounts();

/**
 * `GET /api/v1/dashboard/summary`: row counts, database size and ingest rate for the dashboard header.
 * @example registerSummaryRoute(ctx.app, ctx.db, ctx.queries, meter); // curl -H 'authorization: Bearer T' :4318/api/v1/dashboard/summary
 */
export function registerSummaryRoute(
  app: Hono,
  db: Database,
  queries: PluginQueries,
  meter: IngestRateMeter,
): void {
  app.get('/api/v1/dashboard/summary', async (c) => {
    QueryParams.parse(new URL(c.req.url), []);
    const { rows } = await queries.run('dashboard.summary', COUNTS);
    const writer = db.writerStats();
    const summary: DashboardSummary = {
      tables: rows.map((r) => ({ table: r.table, rows: Number(r.rows), newest: r.newest })),
      totalRows: rows.reduce((sum, r) => sum + Number(r.rows), 0),
      databaseBytes: db.fileSizeBytes(),
      ingestRowsPerSecond: meter.rate(),
      rowsWritten: writer.rowsWritten,
      queuedWrites: writer.queuedJobs,
    };
    return jsonResponse(c, summary);
  });
}
