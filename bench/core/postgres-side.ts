import { type PostgresServer, startPostgres } from '@duckside/testkit';
import pg from 'pg';
import type { ResultFigures } from './assert-same-result.ts';
import type { CoreBenchData } from './core-bench-data.ts';
import { loadPostgres } from './postgres-load.ts';
import { postgresQueries } from './postgres-queries.ts';
import type { QueryWorkload } from './query-workloads.ts';

/**
 * Server settings of the throwaway cluster: durable like DuckDB (fsync on), memory sized for the data set
 * (it fits in shared buffers at 10M rows), WAL large enough that COPY does not checkpoint constantly.
 */
export const POSTGRES_SETTINGS: Record<string, string> = {
  shared_buffers: '4GB',
  effective_cache_size: '12GB',
  work_mem: '256MB',
  maintenance_work_mem: '2GB',
  max_wal_size: '16GB',
};

/**
 * PostgreSQL side by side: starts a throwaway PostgreSQL cluster (`@duckside/testkit`), loads the same rows with
 * COPY, builds the btree on (name, ts), runs the workloads (checked against DuckDB's results) and stops the
 * cluster. Returns why it was skipped instead when PostgreSQL is not installed.
 */
export async function postgresSide(
  rows: number,
  workloads: readonly QueryWorkload[],
  expected: ReadonlyMap<string, ResultFigures>,
  runs: number,
  log: (line: string) => void,
): Promise<Pick<CoreBenchData, 'postgres' | 'postgresSkipped'>> {
  let server: PostgresServer;
  try {
    server = await startPostgres({ durable: true, settings: POSTGRES_SETTINGS });
  } catch (error) {
    return { postgresSkipped: `could not start PostgreSQL (${(error as Error).message})` };
  }
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const version =
        (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ??
        'unknown';
      log(`  postgres ${version}: COPY ${rows.toLocaleString('en-US')} rows`);
      const load = await loadPostgres(client, rows);
      log(`  postgres: COPY ${Math.round(load.copyRowsPerS).toLocaleString('en-US')} rows/s`);
      const queries = await postgresQueries(client, workloads, expected, runs, log);
      return { postgres: { version, settings: POSTGRES_SETTINGS, load, queries } };
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
  }
}
