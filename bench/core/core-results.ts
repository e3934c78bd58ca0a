import type { CoreBenchData } from './core-bench-data.ts';

/** Short key of a row count, e.g. `1m`, `10m`. */
export function sizeKey(rows: number): string {
  return rows >= 1_000_000 ? `${rows / 1_000_000}m` : `${rows / 1000}k`;
}

/**
 * Flattens the core benchmark's figures into `core.*` keys for the JSON report and the chart.
 * @example coreResults(data)['core.query.filter_limit.api_ms']
 */
export function coreResults(data: CoreBenchData): Record<string, number> {
  const r: Record<string, number> = { 'core.query_rows': data.queryRows };
  for (const i of data.ingest) {
    const k = `core.ingest_${sizeKey(i.rows)}`;
    r[`${k}.core_rows_per_s`] = i.coreRowsPerS;
    r[`${k}.raw_rows_per_s`] = i.rawRowsPerS;
    r[`${k}.ratio`] = i.ratio;
    r[`${k}.core_ms`] = i.coreMs;
    r[`${k}.raw_ms`] = i.rawMs;
  }
  for (const [id, q] of data.duckdb) {
    const k = `core.query.${id}`;
    r[`${k}.rows`] = q.rows;
    r[`${k}.raw_ms`] = q.raw.median;
    r[`${k}.raw_min_ms`] = q.raw.min;
    if (q.api) {
      r[`${k}.api_ms`] = q.api.median;
      r[`${k}.api_min_ms`] = q.api.min;
    }
    const pg = data.postgres?.queries.get(id);
    if (pg) {
      r[`${k}.pg_ms`] = pg.median;
      r[`${k}.pg_min_ms`] = pg.min;
    }
  }
  const s = data.single;
  r['core.single.concurrent_rows_per_s'] = s.concurrentRowsPerS;
  r['core.single.concurrent_ms'] = s.concurrentMs;
  r['core.single.concurrent_commits'] = s.concurrentCommits;
  r['core.single.lone_p50_ms'] = s.loneP50Ms;
  r['core.single.lone_p99_ms'] = s.loneP99Ms;
  r['core.single.sequential_per_s'] = s.sequentialPerS;
  r['core.single.batch10k_ms'] = s.batch10kMs;
  r['core.single.metric_batch10k_ms'] = s.metricBatch10kMs;
  r['core.single.build10k_ms'] = s.build10kMs;
  const t = data.telemetry;
  r['core.telemetry.plain_rows_per_s'] = t.plainRowsPerS;
  r['core.telemetry.instrumented_rows_per_s'] = t.instrumentedRowsPerS;
  r['core.telemetry.no_provider_commit_us'] = t.noProviderCommitUs;
  r['core.telemetry.single_insert_us'] = t.singleInsertUs;
  r['core.disk.duckdb_bytes_per_row'] = data.duckdbBytesPerRow;
  if (data.postgres) {
    const l = data.postgres.load;
    r['core.pg.copy_rows_per_s'] = l.copyRowsPerS;
    r['core.pg.copy_ms'] = l.copyMs;
    r['core.pg.index_ms'] = l.indexMs;
    r['core.pg.vacuum_analyze_ms'] = l.vacuumAnalyzeMs;
    r['core.pg.bytes_per_row'] = l.totalBytes / data.queryRows;
  }
  return r;
}
