import type pg from 'pg';
import { interleavedRuns } from '../lib/interleaved-runs.ts';
import type { Timings } from '../lib/timing.ts';
import { assertSameResult, type ResultFigures } from './assert-same-result.ts';
import { numericColumns } from './numeric-columns.ts';
import type { QueryWorkload } from './query-workloads.ts';

/**
 * Runs each workload's PostgreSQL SQL `runs` times after a warm-up and checks its result against raw DuckDB's
 * figures (same row count, same check column values row by row).
 * @throws Error when PostgreSQL's result disagrees with DuckDB's.
 */
export async function postgresQueries(
  client: pg.Client,
  workloads: readonly QueryWorkload[],
  expected: ReadonlyMap<string, ResultFigures>,
  runs: number,
  log: (line: string) => void,
): Promise<Map<string, Timings>> {
  const out = new Map<string, Timings>();
  for (const w of workloads) {
    let rows: Record<string, unknown>[] = [];
    const [timings] = await interleavedRuns(runs, [
      async () => {
        rows = (await client.query(w.postgres)).rows;
      },
    ]);
    const want = expected.get(w.id);
    if (want)
      assertSameResult(w, 'PostgreSQL', { rows: rows.length, columns: numericColumns(rows, w.check) }, want);
    out.set(w.id, timings!);
    log(`  ${w.id}: postgres ${timings!.median.toFixed(1)} ms`);
  }
  return out;
}
