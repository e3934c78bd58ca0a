/**
 * Benchmark of the rollups (docs/rollups.md): a synthetic trading history (trades, a counter and a latency
 * histogram per symbol; 90 days, quick mode 7) written through core, rolled up, then the four queries
 * answered from rollups and from raw rows in the same run (answers checked to agree), plus the ingest cost of
 * keeping rollups up to date (core ingest with rollups vs a database without rollup tables, interleaved).
 *
 *   pnpm bench rollups [--quick]
 */
import { join } from 'node:path';
import { Database, DEFAULT_ROLLUP_LEVELS } from '@duckside/core';
import { BUILTIN_MIGRATIONS } from '@duckside/core/schema';
import { tempDir } from '@duckside/testkit';
import type { BenchSection } from './bench-section.ts';
import { toMetricBatch } from './core/to-metric-batch.ts';
import { TradingDataGenerator } from './core/trading-data.ts';
import type { CoreBenchOptions } from './core-section.ts';
import { formatBytes, formatCount, formatMs, formatRatio } from './lib/format.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { type RatioTarget, targetCell } from './lib/ratio-target.ts';
import { repeat, type Timings, timeMs } from './lib/timing.ts';
import { type RollupDataShape, rowCounts, writeRollupData } from './rollups/rollup-bench-data.ts';
import { assertSameRows, fromRaw, fromRollups, rollupWorkloads } from './rollups/rollup-workloads.ts';

const RUNS = 5;

/** Full: 90 days; quick: 7 days. Env `BENCH_ROLLUP_DAYS` overrides the days. */
function shape(quick: boolean): RollupDataShape {
  const days = Number(process.env.BENCH_ROLLUP_DAYS ?? (quick ? 7 : 90));
  return { days, tradeEverySeconds: 5, counterEverySeconds: 15, histogramEverySeconds: 60 };
}

interface IngestCost {
  rows: number;
  withoutMs: number;
  withMs: number;
  catchUpMs: number;
  ratio: number;
}

/**
 * Core ingest of `rows` scalar points, batch by batch interleaved, into a database without rollup tables (schema
 * version 5) and one with rollups whose maintenance step runs after every batch (its time counted).
 */
async function ingestCost(rows: number, dir: string): Promise<IngestCost> {
  const without = await Database.open({ path: join(dir, 'without.duckdb'), initialize: false });
  await without.initialize(BUILTIN_MIGRATIONS.filter((m) => m.version <= 5));
  const withRollups = await Database.open({
    path: join(dir, 'with.duckdb'),
    rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
  });
  const a = new TradingDataGenerator(rows);
  const b = new TradingDataGenerator(rows);
  let withoutMs = 0;
  let withMs = 0;
  let catchUpMs = 0;
  try {
    for (let batch = a.next(100_000); batch; batch = a.next(100_000)) {
      const same = b.next(100_000);
      withoutMs += await timeMs(() => without.writeMetricBatch(toMetricBatch(batch)));
      withMs += await timeMs(() => withRollups.writeMetricBatch(toMetricBatch(same!)));
      catchUpMs += await timeMs(() => withRollups.catchUpRollups());
    }
  } finally {
    await without.close();
    await withRollups.close();
  }
  return { rows, withoutMs, withMs, catchUpMs, ratio: withoutMs / (withMs + catchUpMs) };
}

interface Measured {
  title: string;
  source: string;
  rows: number;
  rollup: Timings;
  raw: Timings;
}

/** Runs the rollups section. */
export async function run(options: CoreBenchOptions): Promise<BenchSection> {
  const log = options.log ?? ((line: string) => process.stderr.write(`rollups: ${line}\n`));
  const s = shape(options.quick);
  const counts = rowCounts(s);
  await using dir = await tempDir('bench-rollups-');
  const ingestRows = options.quick ? 500_000 : 2_000_000;
  log(`ingest cost: ${formatCount(ingestRows)} points with and without rollups`);
  const ingest = await ingestCost(ingestRows, dir.path);
  log(`ingest ratio ${formatRatio(ingest.ratio)}`);
  const path = join(dir.path, 'rollups.duckdb');
  const db = await Database.open({ path, rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 } });
  const measured: Measured[] = [];
  let loadMs = 0;
  let catchUpMs = 0;
  let written = 0;
  let fileBytes = 0;
  try {
    log(
      `writing ${s.days} days: ${formatCount(counts.trades)} trades, ${formatCount(counts.counters)} counter points, ${formatCount(counts.histograms)} histogram points`,
    );
    loadMs = await timeMs(async () => {
      written = await writeRollupData(db, s, log);
    });
    catchUpMs = await timeMs(() => db.catchUpRollups());
    await db.checkpoint();
    fileBytes = db.fileSizeBytes();
    log(
      `loaded in ${formatMs(loadMs)} ms, rolled up in ${formatMs(catchUpMs)} ms, ${formatBytes(fileBytes)}`,
    );
    for (const w of rollupWorkloads(s.days)) {
      const routed = await fromRollups(db, w);
      const raw = await fromRaw(db, w);
      assertSameRows(w.id, routed.rows, raw.rows);
      const rollup = await repeat(RUNS, () => fromRollups(db, w));
      const rawTimes = await repeat(options.quick ? RUNS : 3, () => fromRaw(db, w));
      log(`${w.id}: ${routed.source}: ${formatMs(rollup.median)} ms, raw ${formatMs(rawTimes.median)} ms`);
      measured.push({
        title: w.title,
        source: routed.source ?? 'raw',
        rows: routed.rows.length,
        rollup,
        raw: rawTimes,
      });
    }
  } finally {
    await db.close();
  }
  return report(s, written, loadMs, catchUpMs, fileBytes, ingest, measured);
}

function report(
  s: RollupDataShape,
  written: number,
  loadMs: number,
  catchUpMs: number,
  fileBytes: number,
  ingest: IngestCost,
  measured: Measured[],
): BenchSection {
  const results: Record<string, number> = {
    'rollups.rows': written,
    'rollups.load_ms': loadMs,
    'rollups.catch_up_ms': catchUpMs,
    'rollups.file_bytes': fileBytes,
    'rollups.ingest_ratio': ingest.ratio,
  };
  const targets: RatioTarget[] = [
    {
      key: 'rollups.ingest_ratio',
      figure: `Core ingest with rollups maintained, ${formatCount(ingest.rows)} points`,
      duckside: `${formatCount((ingest.rows / (ingest.withMs + ingest.catchUpMs)) * 1000)} rows/s (writes ${formatMs(ingest.withMs)} ms + maintenance ${formatMs(ingest.catchUpMs)} ms)`,
      peer: `without rollup tables: ${formatCount((ingest.rows / ingest.withoutMs) * 1000)} rows/s`,
      how: 'with ÷ without, rows/s',
      ratio: ingest.ratio,
      bound: 0.85,
      better: 'higher',
    },
  ];
  const rows = measured.map((m, i) => {
    const id = ['ohlcv_1h_90d', 'candles_1m_7d', 'p99_1h_30d', 'rate_1h_30d'][i] as string;
    const speedup = m.raw.median / m.rollup.median;
    results[`rollups.${id}_ms`] = m.rollup.median;
    results[`rollups.${id}_raw_ms`] = m.raw.median;
    results[`rollups.${id}_speedup`] = speedup;
    const msTarget: RatioTarget = {
      key: `rollups.${id}_ms`,
      figure: `Rollups: ${m.title}`,
      duckside: `${formatMs(m.rollup.median)} ms (${m.source})`,
      peer: `raw: ${formatMs(m.raw.median)} ms`,
      how: 'rollup answer, ms',
      ratio: m.rollup.median,
      bound: 10,
      better: 'lower',
    };
    targets.push(msTarget);
    let speedTarget: RatioTarget | undefined;
    if (i === 0) {
      speedTarget = {
        ...msTarget,
        key: `rollups.${id}_speedup`,
        how: 'raw ÷ rollup, ms',
        ratio: speedup,
        bound: 50,
        better: 'higher',
      };
      targets.push(speedTarget);
    }
    return [
      m.title,
      m.source,
      formatCount(m.rows),
      formatMs(m.rollup.median),
      formatMs(m.raw.median),
      `${formatRatio(speedup)}`,
      [targetCell(msTarget), speedTarget ? targetCell(speedTarget) : ''].filter((t) => t).join('; '),
    ];
  });
  const markdown = [
    `${s.days} days of synthetic trading data written through core one hour per commit: ${formatCount(written)} rows ` +
      `(a trade per symbol every ${s.tradeEverySeconds} s, a counter point every ${s.counterEverySeconds} s, a latency histogram every ${s.histogramEverySeconds} s; 8 symbols) ` +
      `in ${formatMs(loadMs)} ms, rolled up (levels 1m and 1h) in ${formatMs(catchUpMs)} ms; file ${formatBytes(fileBytes)}. ` +
      `Medians of ${RUNS} runs (raw: 3 on the full set); rollup and raw answers checked equal (to 1e-9 relative).`,
    '',
    markdownTable(['query', 'source', 'rows', 'rollup ms', 'raw ms', 'speedup', 'targets'], rows),
    '',
    `Ingest: ${formatCount(ingest.rows)} points in batches of 100,000, interleaved: without rollup tables ${formatMs(ingest.withoutMs)} ms; ` +
      `with rollups ${formatMs(ingest.withMs)} ms of writes (points copied to the pending tables in the same commit) + ${formatMs(ingest.catchUpMs)} ms of maintenance steps (one after every batch): ` +
      `${formatRatio(ingest.ratio)} (${targetCell(targets[0])}).`,
  ].join('\n');
  return { title: 'Rollups', markdown, results, targets };
}
