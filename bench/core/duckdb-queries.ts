import type { Database } from '@duckside/core';
import { interleavedRuns } from '../lib/interleaved-runs.ts';
import type { Timings } from '../lib/timing.ts';
import { assertSameResult } from './assert-same-result.ts';
import { numericColumns } from './numeric-columns.ts';
import type { QueryWorkload } from './query-workloads.ts';

/** Timings and result figures of one workload on DuckDB. */
export interface DuckdbQueryResult {
  /** Through Duckside's builder and `db.execute` (undefined when the builder has no equivalent). */
  api?: Timings;
  /** The hand-written SQL on a raw node-api connection, rows read as JS objects. */
  raw: Timings;
  rows: number;
  /** The workload's check columns of the raw SQL result. */
  columns: number[][];
}

/**
 * Runs each workload through the builder (`db.execute(builder)`) and as raw SQL on a node-api connection of the
 * same instance (`runAndReadAll` + `getRowObjectsJS`, through `db.withReadConnection`: a transaction rolled back
 * afterwards, as raw read-only SQL should run), interleaved, `runs` times after a warm-up.
 * @throws Error when the builder's result disagrees with the raw SQL's (row count or a check column's values).
 */
export async function duckdbQueries(
  db: Database,
  workloads: readonly QueryWorkload[],
  runs: number,
  log: (line: string) => void,
): Promise<Map<string, DuckdbQueryResult>> {
  const out = new Map<string, DuckdbQueryResult>();
  for (const w of workloads) {
    let rawRows: Record<string, unknown>[] = [];
    let apiRows: Record<string, unknown>[] = [];
    const raw = async () => {
      rawRows = await db.withReadConnection(async (c) => (await c.runAndReadAll(w.duckdb)).getRowObjectsJS());
    };
    const api = w.api;
    const variants = [raw];
    if (api) {
      variants.unshift(async () => {
        apiRows = (await db.execute(api())).rows as Record<string, unknown>[];
      });
    }
    const timings = await interleavedRuns(runs, variants);
    const columns = numericColumns(rawRows, w.check);
    if (api) {
      assertSameResult(
        w,
        'Duckside API',
        { rows: apiRows.length, columns: numericColumns(apiRows, w.check) },
        {
          rows: rawRows.length,
          columns,
        },
      );
    }
    out.set(w.id, {
      ...(api ? { api: timings[0] } : {}),
      raw: timings[timings.length - 1]!,
      rows: rawRows.length,
      columns,
    });
    log(
      `  ${w.id}: ${api ? `api ${timings[0]!.median.toFixed(1)} ms, ` : ''}raw ${timings[timings.length - 1]!.median.toFixed(1)} ms, ${rawRows.length} rows`,
    );
  }
  return out;
}
