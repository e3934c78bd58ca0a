/**
 * Benchmark of `@duckside/migrator`'s PostgreSQL importer: rows/s importing a Timescale-like metrics table
 * (time, name, value, symbol, labels jsonb; time index) into `trading_metrics`, next to PostgreSQL's own
 * `COPY metrics TO STDOUT` of the same table in the same run (target: import >= 0.9x of COPY TO).
 *
 *   pnpm exec tsx --conditions=source bench/migrator-import.ts [--quick]
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Database } from '@duckside/core';
import { importResource, PostgresSource, runImport, verifyImport } from '@duckside/migrator';
import { startPostgres, tempDir } from '@duckside/testkit';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { BenchOptions, BenchSection } from './bench-section.ts';
import { formatCount, formatMs, formatRatio } from './lib/format.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { type RatioTarget, targetCell } from './lib/ratio-target.ts';
import { standaloneMarkdown } from './lib/standalone-markdown.ts';

const DAYS = 10;
/** Target (issue 20): import rows/s ÷ PostgreSQL's `COPY TO` rows/s. */
const TARGET_RATIO = 0.9;

/** Runs the import benchmark on 10M rows (1M with `quick`). */
export async function run(options: BenchOptions): Promise<BenchSection> {
  const rows = options.quick ? 1_000_000 : 10_000_000;
  const log = (text: string) => process.stderr.write(`migrator-import: ${text}\n`);
  await using server = await startPostgres({
    settings: { shared_buffers: '1GB', max_wal_size: '8GB', work_mem: '64MB' },
  });
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await using dir = await tempDir('bench-migrator-');
  try {
    log(`loading ${formatCount(rows)} rows into PostgreSQL`);
    await loadMetrics(client, rows);
    const copyRuns = [await copyToRate(client, rows)];
    log(`COPY TO ${formatCount(copyRuns[0])} rows/s; importing`);
    const db = await Database.open({ path: `${dir.path}/bench.duckdb` });
    const source = await PostgresSource.open({ url: server.url, table: 'metrics', preset: 'metrics' });
    try {
      const report = await runImport(db, source, { verify: false });
      log(`import ${formatCount(report.rowsPerSecond)} rows/s; verifying`);
      const verifyStart = performance.now();
      const verification = await db.withConnection(async (c) => {
        await c.run(`SET TimeZone = 'UTC'`);
        return verifyImport(c, source, importResource(report.sourceId));
      });
      const verifyMs = performance.now() - verifyStart;
      copyRuns.push(await copyToRate(client, rows));
      const copyRate = Math.max(...copyRuns);
      const ratio = report.rowsPerSecond / copyRate;
      const targets: RatioTarget[] = [
        {
          key: 'migrator_import.ratio_to_copy_to',
          figure: `Import of ${formatCount(rows)} rows from PostgreSQL`,
          duckside: `${formatCount(report.rowsPerSecond)} rows/s`,
          peer: `PostgreSQL \`COPY TO\` of the table: ${formatCount(copyRate)} rows/s`,
          how: 'import ÷ `COPY TO` rows/s',
          ratio,
          bound: TARGET_RATIO,
          better: 'higher',
        },
      ];
      const markdown = [
        `Workload: a Timescale-like \`metrics\` table of ${formatCount(rows)} rows over ${DAYS} days (4 metric names, ` +
          '3 symbols, jsonb labels with 4 keys, index on time) in a throwaway PostgreSQL 15 on 127.0.0.1, imported into ' +
          '`trading_metrics` of a DuckDB file with `import postgres --preset metrics` (binary COPY ordered by time, ' +
          '200k-row batches committed with their watermark). Baseline: `COPY metrics TO STDOUT` (text) drained by ' +
          `pg-copy-streams, the better of a run before and a run after the import. Target: import >= ${formatRatio(TARGET_RATIO)} COPY TO.`,
        '',
        markdownTable(
          [
            '>Rows',
            '>COPY TO rows/s (peer)',
            '>Import rows/s',
            '>Import / COPY TO',
            'Target: meets',
            '>Import time ms',
            'Verification',
          ],
          [
            [
              formatCount(rows),
              formatCount(copyRate),
              formatCount(report.rowsPerSecond),
              formatRatio(ratio),
              targetCell(targets[0]),
              formatMs(report.durationMs),
              `${verification.ok ? 'ok' : 'FAILED'} (${verification.days.length} days, ${formatMs(verifyMs)} ms)`,
            ],
          ],
        ),
      ].join('\n');
      return {
        title: 'Migrator: import from PostgreSQL',
        markdown,
        targets,
        results: {
          'migrator_import.rows': rows,
          'migrator_import.rows_per_s': report.rowsPerSecond,
          'migrator_import.pg_copy_to_rows_per_s': copyRate,
          'migrator_import.ratio_to_copy_to': ratio,
          'migrator_import.verify_ms': verifyMs,
        },
      };
    } finally {
      await source.close();
      await db.close();
    }
  } finally {
    await client.end();
  }
}

async function loadMetrics(client: pg.Client, rows: number): Promise<void> {
  const step = (DAYS * 86_400_000_000) / rows;
  await client.query(`CREATE TABLE metrics (time timestamptz NOT NULL, name text NOT NULL, value double precision NOT NULL,
    symbol text, labels jsonb NOT NULL DEFAULT '{}')`);
  await client.query(`INSERT INTO metrics
    SELECT timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => (i::float8 * ${step}) / 1e6),
      (ARRAY['order_latency_ms','spread_bps','fill_ratio','queue_depth'])[1 + i % 4], (i % 1000) / 8.0,
      (ARRAY['BTC/USD','ETH/USD','SOL/USD'])[1 + i % 3],
      jsonb_build_object('venue', (ARRAY['kraken','coinbase'])[1 + i % 2], 'depth', i % 10, 'ratio', (i % 7) + 0.5, 'region', 'eu')
    FROM generate_series(0, ${rows - 1}) i`);
  await client.query('CREATE INDEX metrics_time_idx ON metrics (time DESC)');
  await client.query('VACUUM ANALYZE metrics');
}

async function copyToRate(client: pg.Client, rows: number): Promise<number> {
  const started = performance.now();
  await pipeline(
    client.query(copyTo('COPY metrics TO STDOUT')),
    new Writable({
      write(_chunk, _encoding, callback) {
        callback();
      },
    }),
  );
  return rows / ((performance.now() - started) / 1000);
}

if (process.argv[1]?.endsWith('migrator-import.ts')) {
  const section = await run({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${standaloneMarkdown(section)}\n`);
}
