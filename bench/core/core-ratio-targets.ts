import { formatCount, formatMs } from '../lib/format.ts';
import type { RatioTarget } from '../lib/ratio-target.ts';
import type { CoreBenchData } from './core-bench-data.ts';
import { sizeKey } from './core-results.ts';
import { QUERY_WORKLOADS } from './query-workloads.ts';
import { SINGLE_INSERT_RECORDS } from './single-insert-bench.ts';
import { TARGETS } from './targets.ts';

const rowsPerS = (n: number) => `${formatCount(n)} rows/s`;
const ms = (n: number) => `${formatMs(n)} ms`;

/** Result keys of the core section's ratio targets. */
export const CORE_TARGET_KEYS = {
  ingest: (rows: number) => `core.ingest_${sizeKey(rows)}.ratio`,
  apiOverRaw: (workload: string) => `core.query.${workload}.api_over_raw`,
  postgresOverDuckside: (workload: string) => `core.query.${workload}.pg_over_duckside`,
  concurrentOverBatch: 'core.single.concurrent_over_batch',
  selfInstrumentation: 'core.telemetry.instrumented_over_plain',
} as const;

/**
 * The core section's targets, each a ratio to a peer measured in the same run: ingest vs the raw data-chunk
 * appender (every size), each query's builder vs its hand-written SQL and Duckside vs PostgreSQL, and 10,000
 * concurrent `insertMetric` calls vs one `insertMetrics` call with the same records.
 * @example coreRatioTargets(data).filter((t) => t.ratio < t.bound)
 */
export function coreRatioTargets(data: CoreBenchData): RatioTarget[] {
  const targets: RatioTarget[] = data.ingest.map((i) => ({
    key: CORE_TARGET_KEYS.ingest(i.rows),
    figure: `Ingest of ${formatCount(i.rows)} points`,
    duckside: rowsPerS(i.coreRowsPerS),
    peer: `raw data chunks: ${rowsPerS(i.rawRowsPerS)}`,
    how: 'core ÷ raw rows/s',
    ratio: i.ratio,
    bound: TARGETS.ingestRatio,
    better: 'higher',
  }));
  for (const w of QUERY_WORKLOADS) {
    const d = data.duckdb.get(w.id);
    if (!d) continue;
    if (d.api) {
      targets.push({
        key: CORE_TARGET_KEYS.apiOverRaw(w.id),
        figure: `\`${w.id}\`: builder vs hand-written SQL`,
        duckside: ms(d.api.median),
        peer: `raw DuckDB SQL: ${ms(d.raw.median)}`,
        how: 'API ÷ raw ms',
        ratio: d.api.median / d.raw.median,
        bound: TARGETS.apiOverRaw,
        better: 'lower',
      });
    }
    const pg = data.postgres?.queries.get(w.id);
    if (pg) {
      const duckside = d.api ?? d.raw;
      targets.push({
        key: CORE_TARGET_KEYS.postgresOverDuckside(w.id),
        figure: `\`${w.id}\`: ${d.api ? 'Duckside API' : 'raw DuckDB SQL (no builder equivalent)'} vs PostgreSQL`,
        duckside: ms(duckside.median),
        peer: `PostgreSQL 15: ${ms(pg.median)}`,
        how: 'PostgreSQL ÷ Duckside ms',
        ratio: pg.median / duckside.median,
        bound: TARGETS.postgresOverDuckside,
        better: 'higher',
      });
    }
  }
  const s = data.single;
  const batchRowsPerS = SINGLE_INSERT_RECORDS / (s.batch10kMs / 1000);
  targets.push({
    key: CORE_TARGET_KEYS.concurrentOverBatch,
    figure: '10,000 concurrent `insertMetric` calls vs one `insertMetrics` call of the same records',
    duckside: rowsPerS(s.concurrentRowsPerS),
    peer: `\`insertMetrics\`: ${rowsPerS(batchRowsPerS)}`,
    how: 'concurrent ÷ batch rows/s',
    ratio: s.concurrentRowsPerS / batchRowsPerS,
    bound: TARGETS.concurrentOverBatch,
    better: 'higher',
  });
  const t = data.telemetry;
  targets.push({
    key: CORE_TARGET_KEYS.selfInstrumentation,
    figure: `Ingest of ${formatCount(t.rows)} points with OpenTelemetry meter and tracer providers registered`,
    duckside: rowsPerS(t.instrumentedRowsPerS),
    peer: `no provider: ${rowsPerS(t.plainRowsPerS)}`,
    how: 'with ÷ without rows/s',
    ratio: t.ratio,
    bound: TARGETS.selfInstrumentation,
    better: 'higher',
  });
  return targets;
}
