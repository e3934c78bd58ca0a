import { formatBytes, formatCount, formatMs, formatRatio } from '../lib/format.ts';
import { markdownTable } from '../lib/markdown-table.ts';
import { meets, type RatioTarget, targetCell, verdict } from '../lib/ratio-target.ts';
import type { CoreBenchData } from './core-bench-data.ts';
import { CORE_TARGET_KEYS } from './core-ratio-targets.ts';
import { INGEST_BATCH_ROWS } from './ingest-bench.ts';
import { QUERY_WORKLOADS } from './query-workloads.ts';
import { CLAIMS } from './targets.ts';

/** The section's ratio targets by key, and the verdict cell of one of them ('' when it was not measured). */
class Verdicts {
  private readonly byKey: Map<string, RatioTarget>;
  constructor(targets: readonly RatioTarget[]) {
    this.byKey = new Map(targets.map((t) => [t.key, t]));
  }
  cell(key: string): string {
    return targetCell(this.byKey.get(key));
  }
  ratio(key: string): string {
    return formatRatio(this.byKey.get(key)?.ratio);
  }
}

/**
 * Renders the core benchmark as Markdown: ingest, queries (Duckside API, raw DuckDB, PostgreSQL), single inserts
 * (each with its ratio targets), the original design's claims and the size on disk.
 * @example const md = coreMarkdown(data, coreResults(data), coreRatioTargets(data));
 */
export function coreMarkdown(
  data: CoreBenchData,
  results: Record<string, number>,
  targets: readonly RatioTarget[],
): string {
  const verdicts = new Verdicts(targets);
  return [
    ingest(data, verdicts),
    queries(data, verdicts),
    single(data, verdicts),
    selfInstrumentation(data, verdicts),
    claims(data, results),
    disk(data),
    notes(data),
  ].join('\n\n');
}

function ingest(data: CoreBenchData, verdicts: Verdicts): string {
  const rows = data.ingest.map((i) => [
    formatCount(i.rows),
    formatCount(i.coreRowsPerS),
    formatCount(i.rawRowsPerS),
    formatRatio(i.ratio),
    verdicts.cell(CORE_TARGET_KEYS.ingest(i.rows)),
  ]);
  const pg = data.postgres?.load;
  return [
    '### Ingest: core vs the raw data-chunk appender',
    `Synthetic trading telemetry written in batches of ${formatCount(INGEST_BATCH_ROWS)} points, one commit per batch, both paths interleaved batch by batch in the same run. Core: \`MetricBatch\` + \`db.writeMetricBatch\`. Raw: node-api \`DuckDBDataChunk\` + \`appender.appendDataChunk\` into a second database with the same schema.`,
    '',
    markdownTable(
      ['>Points', '>Core (rows/s)', '>Raw chunks (rows/s)', '>Core / raw', 'Target: meets'],
      rows,
    ),
    pg
      ? `\nPostgreSQL 15 \`COPY ... FROM STDIN\` of the same ${formatCount(data.queryRows)} rows: **${formatCount(pg.copyRowsPerS)} rows/s** (${formatMs(pg.copyMs)} ms), then the btree on (name, ts) in ${formatMs(pg.indexMs)} ms and \`VACUUM ANALYZE\` in ${formatMs(pg.vacuumAnalyzeMs)} ms.`
      : '',
  ].join('\n');
}

function queries(data: CoreBenchData, verdicts: Verdicts): string {
  const rows = QUERY_WORKLOADS.map((w) => {
    const d = data.duckdb.get(w.id);
    const pg = data.postgres?.queries.get(w.id)?.median;
    const duckside = d?.api?.median ?? d?.raw.median;
    return [
      w.title,
      formatCount(d?.rows),
      formatMs(d?.api?.median),
      formatMs(d?.raw.median),
      d?.api ? formatRatio(d.api.median / d.raw.median) : 'n/a',
      verdicts.cell(CORE_TARGET_KEYS.apiOverRaw(w.id)),
      formatMs(pg),
      pg !== undefined && duckside !== undefined ? formatRatio(pg / duckside) : 'n/a',
      verdicts.cell(CORE_TARGET_KEYS.postgresOverDuckside(w.id)),
    ];
  });
  return [
    `### Queries on ${formatCount(data.queryRows)} rows (median of ${data.runs} runs on DuckDB, ${data.postgresRuns} on PostgreSQL, ms)`,
    'Duckside API: the query builder run by `db.execute`. Raw DuckDB: hand-written SQL on a node-api connection of the same database (`db.withReadConnection`: in a transaction rolled back afterwards). Both read the rows into JS objects. PostgreSQL: the same query in SQL on the same rows, btree on (name, ts). Every engine returns the same rows (checked row by row on the key columns). Targets: the builder takes at most 1.10× the time of the hand-written SQL, and Duckside is at least as fast as PostgreSQL (where the builder has no equivalent, the raw SQL is compared).',
    '',
    markdownTable(
      [
        'Workload',
        '>Rows out',
        '>Duckside API',
        '>Raw DuckDB',
        '>API / raw',
        'Target: meets',
        '>PostgreSQL',
        '>PostgreSQL / Duckside',
        'Target: meets',
      ],
      rows,
    ),
  ].join('\n');
}

function single(data: CoreBenchData, verdicts: Verdicts): string {
  const s = data.single;
  return [
    '### Single inserts and small batches',
    markdownTable(
      ['Workload', '>Result', 'Target'],
      [
        [
          '10,000 concurrent `db.insertMetric` calls',
          `${formatCount(s.concurrentRowsPerS)} rows/s (${formatMs(s.concurrentMs)} ms, ${s.concurrentCommits} commits)`,
          `${verdicts.ratio(CORE_TARGET_KEYS.concurrentOverBatch)} of \`insertMetrics\` below; ${verdicts.cell(CORE_TARGET_KEYS.concurrentOverBatch)}`,
        ],
        [
          'One lone `db.insertMetric` (awaited, one at a time)',
          `p50 ${formatMs(s.loneP50Ms)} ms, p99 ${formatMs(s.loneP99Ms)} ms`,
          '',
        ],
        ['Sequential awaited inserts', `${formatCount(s.sequentialPerS)} inserts/s`, ''],
        [
          '`db.insertMetrics` of the same 10,000 records (in turn with the concurrent calls)',
          `${formatMs(s.batch10kMs)} ms`,
          '',
        ],
        ['`db.writeMetricBatch` of 10,000 OTLP-shaped points', `${formatMs(s.metricBatch10kMs)} ms`, ''],
        [
          'Building 10,000 `MetricRecord`s (zod-validated; not in the figures above)',
          `${formatMs(s.build10kMs)} ms`,
          '',
        ],
      ],
    ),
  ].join('\n');
}

function selfInstrumentation(data: CoreBenchData, verdicts: Verdicts): string {
  const t = data.telemetry;
  return [
    '### Self-instrumentation',
    `Core ingest of ${formatCount(t.rows)} points in batches of ${formatCount(t.batchRows)} into two files, interleaved batch by batch: without OpenTelemetry providers, and with an SDK \`MeterProvider\` (periodic reader) and \`TracerProvider\` (batch span processor), created once, registered for exactly the other file's batches.`,
    '',
    markdownTable(
      ['Workload', '>Result', 'Target'],
      [
        ['Ingest, no provider', `${formatCount(t.plainRowsPerS)} rows/s`, ''],
        [
          'Ingest, providers registered',
          `${formatCount(t.instrumentedRowsPerS)} rows/s (${verdicts.ratio(CORE_TARGET_KEYS.selfInstrumentation)})`,
          verdicts.cell(CORE_TARGET_KEYS.selfInstrumentation),
        ],
        [
          'Instrumentation of one commit round with no provider (API no-ops; 100,000 calls)',
          `${t.noProviderCommitUs.toFixed(2)} µs (a single awaited \`insertMetric\` takes ${formatCount(t.singleInsertUs)} µs)`,
          '',
        ],
      ],
    ),
  ].join('\n');
}

function claims(data: CoreBenchData, results: Record<string, number>): string {
  const fmt = (v: number | undefined, unit: string) =>
    v === undefined ? 'n/a' : unit === 'ms' ? `${formatMs(v)} ms` : `${formatCount(v)} rows/s`;
  const rows = CLAIMS.map((c) => [
    c.claim,
    c.how,
    fmt(results[c.duckside], c.unit),
    c.postgres ? fmt(results[c.postgres], c.unit) : '—',
    verdict(meets(results[c.duckside], c.bound, c.better)),
  ]);
  return [
    `### Against the original design's claims (queries on ${formatCount(data.queryRows)} rows)`,
    markdownTable(['Claim', 'Measured as', '>Duckside', '>PostgreSQL 15', 'Met by Duckside'], rows),
  ].join('\n');
}

function disk(data: CoreBenchData): string {
  const pg = data.postgres?.load;
  const sentences = [
    `DuckDB file after checkpoint: **${data.duckdbBytesPerRow.toFixed(1)} B/row** (${formatBytes(data.duckdbBytesPerRow * data.queryRows)} for ${formatCount(data.queryRows)} rows).`,
  ];
  if (pg) {
    sentences.push(
      `PostgreSQL table + btree: **${(pg.totalBytes / data.queryRows).toFixed(1)} B/row** (${formatBytes(pg.totalBytes)}).`,
    );
  }
  return `### On disk\n${sentences.join(' ')}`;
}

function notes(data: CoreBenchData): string {
  if (!data.postgres) return `PostgreSQL was not run: ${data.postgresSkipped ?? 'unknown reason'}.`;
  const settings = Object.entries(data.postgres.settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `PostgreSQL ${data.postgres.version}, throwaway cluster, durable (fsync on), ${settings}; other settings default.`;
}
