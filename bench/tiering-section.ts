/**
 * Benchmark of the cold Parquet tier (docs/operations.md, "Cold tier"): 30 days of metric points and trades
 * written twice, one database kept fully hot, the other with 23 days moved to Parquet (`--hot-days 7`); the same
 * queries (OHLCV from trades and 1-minute aggregates, over one cold day and over 30 days) answered by both in the
 * same run, answers checked equal. Also: rows/s moved, core ingest while a move runs vs idle, bytes per point hot
 * vs cold.
 *
 *   pnpm bench tiering [--quick]
 */
import { join } from 'node:path';
import { aggregateMetrics, ColdTier, candles, compiled, Database, tableStatistics } from '@duckside/core';
import { emptyScalarPoint, emptySeriesContext, MetricBatch } from '@duckside/core/ingest';
import { tempDir } from '@duckside/testkit';
import type { BenchSection } from './bench-section.ts';
import type { CoreBenchOptions } from './core-section.ts';
import { formatBytes, formatCount, formatMs, formatRatio } from './lib/format.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { type RatioTarget, targetCell } from './lib/ratio-target.ts';
import { repeat, type Timings } from './lib/timing.ts';
import { assertSameRows } from './rollups/rollup-workloads.ts';
import {
  TIER_BENCH_DAYS,
  TIER_BENCH_START,
  type TierBenchShape,
  writeTierBenchData,
} from './tiering/tier-bench-data.ts';

const RUNS = 7;
const DAY = 86_400_000;
const HOT_DAYS = 7;

function shape(quick: boolean): TierBenchShape {
  return quick
    ? { pointsPerDay: 100_000, tradeEverySeconds: 20 }
    : { pointsPerDay: 333_312, tradeEverySeconds: 5 };
}

interface Workload {
  id: string;
  title: string;
  days: 1 | 30;
  query: { compile(): { sql: string; params: readonly unknown[] } };
}

function workloads(): Workload[] {
  // The one-day queries look at a cold day (the 6th) in the tiered database.
  const day = TIER_BENCH_START + 5 * DAY;
  const end = TIER_BENCH_START + TIER_BENCH_DAYS * DAY;
  return [
    {
      id: 'ohlcv_1d',
      title: 'OHLCV 1m from trades, one symbol, one day',
      days: 1,
      query: candles('BTC/USD')
        .interval('1m')
        .fromTrades()
        .between(day, day + DAY),
    },
    {
      id: 'ohlcv_30d',
      title: 'OHLCV 1h from trades, one symbol, 30 days',
      days: 30,
      query: candles('BTC/USD').interval('1h').fromTrades().between(TIER_BENCH_START, end),
    },
    {
      id: 'agg_1m_1d',
      title: '1-minute avg of one metric and symbol, one day',
      days: 1,
      query: aggregateMetrics('order_latency_ms')
        .symbol('BTC/USD')
        .interval('1m')
        .fn('avg')
        .between(day, day + DAY),
    },
    {
      id: 'agg_1m_30d',
      title: '1-minute avg of one metric and symbol, 30 days',
      days: 30,
      query: aggregateMetrics('order_latency_ms')
        .symbol('BTC/USD')
        .interval('1m')
        .fn('avg')
        .between(TIER_BENCH_START, end),
    },
  ] as Workload[];
}

interface Measured {
  w: Workload;
  rows: number;
  hot: Timings;
  tiered: Timings;
}

/** Core ingest of fresh points (after the data set) for `ms`, or until `until` settles; returns rows/s. */
async function ingestFor(
  db: Database,
  untilMs: number,
  until?: Promise<unknown>,
): Promise<{ rows: number; ms: number }> {
  const context = { ...emptySeriesContext('ingest_probe'), service: 'bench' };
  const point = emptyScalarPoint();
  let t = (TIER_BENCH_START + TIER_BENCH_DAYS * DAY) * 1000;
  let rows = 0;
  let done = false;
  until?.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  const start = performance.now();
  while (!done && performance.now() - start < untilMs) {
    const batch = new MetricBatch();
    for (let i = 0; i < 10_000; i++) {
      point.timeMicros = t++;
      point.value = i;
      batch.pushScalar(context, point);
    }
    await db.writeMetricBatch(batch);
    rows += 10_000;
  }
  return { rows, ms: performance.now() - start };
}

async function storedBytes(db: Database, table: string): Promise<{ rows: number; bytes: number }> {
  await db.checkpoint();
  const rows = await db.all(tableStatistics());
  const found = rows.find((r) => r.table === table);
  return { rows: Number(found?.rows ?? 0), bytes: Number(found?.estimatedBytes ?? 0) };
}

/** Runs the tiering section. */
export async function run(options: CoreBenchOptions): Promise<BenchSection> {
  const log = options.log ?? ((line: string) => process.stderr.write(`tiering: ${line}\n`));
  const s = shape(options.quick);
  await using dir = await tempDir('bench-tiering-');
  const cold = join(dir.path, 'tiered.cold');
  const hot = await Database.open({ path: join(dir.path, 'hot.duckdb') });
  const tiered = await Database.open({
    path: join(dir.path, 'tiered.duckdb'),
    externalAccess: false,
    allowedDirectories: [`${cold}/`],
  });
  try {
    log(
      `writing ${TIER_BENCH_DAYS} days twice (${formatCount(s.pointsPerDay)} points per day, a trade per symbol every ${s.tradeEverySeconds} s)`,
    );
    const written = await writeTierBenchData(hot, s, log);
    await writeTierBenchData(tiered, s, () => undefined);
    const hotPoints = await storedBytes(hot, 'trading_metrics');
    const hotTrades = await storedBytes(hot, 'trading_trades');
    const tier = await ColdTier.open(tiered, { dir: cold, hotDays: HOT_DAYS });
    const now = TIER_BENCH_START + TIER_BENCH_DAYS * DAY;
    log('ingest idle');
    const idle = await ingestFor(tiered, 5_000);
    log(`moving ${TIER_BENCH_DAYS - HOT_DAYS} days to Parquet while ingesting`);
    const offload = tier.offload(now);
    const busy = await ingestFor(tiered, 600_000, offload);
    const report = await offload;
    // Idle again after the move (the first idle run may include warm-up): the faster of the two counts.
    const idleAfter = await ingestFor(tiered, 5_000);
    if (idleAfter.rows / idleAfter.ms > idle.rows / idle.ms) Object.assign(idle, idleAfter);
    const moved = { rows: report.rows, ms: report.ms, bytes: report.bytes };
    log(
      `moved ${formatCount(moved.rows)} rows in ${formatMs(moved.ms)} ms; ingest ${formatCount((busy.rows / busy.ms) * 1000)} vs idle ${formatCount((idle.rows / idle.ms) * 1000)} rows/s`,
    );
    // The probe points (after the data set) would differ between the two databases: remove them.
    await tiered.withConnection((c) =>
      c.run(`DELETE FROM main.metric_points WHERE ts >= TIMESTAMP '${new Date(now).toISOString()}'`),
    );
    const coldStats = await tier.stats();
    const measured: Measured[] = [];
    for (const w of workloads()) {
      const a = await hot.execute(w.query as never);
      const b = await tiered.execute(w.query as never);
      // Same rows, numbers to 1e-9 relative (sums add up in another order across the tiers).
      assertSameRows(
        `${w.id} (hot vs tiered)`,
        a.rows as Record<string, unknown>[],
        b.rows as Record<string, unknown>[],
      );
      const hotTimes = await repeat(RUNS, () => hot.execute(w.query as never));
      const tieredTimes = await repeat(RUNS, () => tiered.execute(w.query as never));
      log(
        `${w.id}: hot ${formatMs(hotTimes.median)} ms, tiered ${formatMs(tieredTimes.median)} ms (${a.rows.length} rows)`,
      );
      measured.push({ w, rows: a.rows.length, hot: hotTimes, tiered: tieredTimes });
    }
    const counted = await tiered.all(
      compiled<{ n: number }>('SELECT count(*)::BIGINT AS n FROM trading_metrics', []),
    );
    if (Number(counted[0]?.n) !== hotPoints.rows)
      throw new Error('tiered trading_metrics does not count the hot rows');
    return report_(s, written, hotPoints, hotTrades, coldStats.tables, moved, idle, busy, measured);
  } finally {
    await hot.close();
    await tiered.close();
  }
}

function report_(
  s: TierBenchShape,
  written: number,
  hotPoints: { rows: number; bytes: number },
  hotTrades: { rows: number; bytes: number },
  cold: Record<string, { rows: number; bytes: number; files: number }>,
  moved: { rows: number; ms: number; bytes: number },
  idle: { rows: number; ms: number },
  busy: { rows: number; ms: number },
  measured: Measured[],
): BenchSection {
  const coldPoints = cold.trading_metrics ?? { rows: 0, bytes: 0, files: 0 };
  const coldTrades = cold.trading_trades ?? { rows: 0, bytes: 0, files: 0 };
  const movedPerS = (moved.rows / moved.ms) * 1000;
  const idleRate = (idle.rows / idle.ms) * 1000;
  const busyRate = (busy.rows / busy.ms) * 1000;
  const hotBpp = hotPoints.bytes / hotPoints.rows;
  const coldBpp = coldPoints.bytes / coldPoints.rows;
  const results: Record<string, number> = {
    'tiering.rows': written,
    'tiering.moved_rows': moved.rows,
    'tiering.moved_rows_per_s': movedPerS,
    'tiering.ingest_idle_rows_per_s': idleRate,
    'tiering.ingest_offloading_rows_per_s': busyRate,
    'tiering.ingest_ratio': busyRate / idleRate,
    'tiering.hot_bytes_per_point': hotBpp,
    'tiering.cold_bytes_per_point': coldBpp,
    'tiering.cold_bytes_per_trade': coldTrades.bytes / coldTrades.rows,
  };
  const targets: RatioTarget[] = [
    {
      key: 'tiering.moved_rows_per_s',
      figure: `Cold tier: rows moved to Parquet (${formatCount(moved.rows)} rows, 23 days x 2 tables)`,
      duckside: `${formatCount(movedPerS)} rows/s`,
      peer: '-',
      how: 'rows/s',
      ratio: movedPerS,
      bound: 1_000_000,
      better: 'higher',
    },
    {
      key: 'tiering.ingest_ratio',
      figure: 'Cold tier: core ingest while a move runs',
      duckside: `${formatCount(busyRate)} rows/s`,
      peer: `idle: ${formatCount(idleRate)} rows/s`,
      how: 'offloading ÷ idle, rows/s',
      ratio: busyRate / idleRate,
      bound: 0.8,
      better: 'higher',
    },
    {
      key: 'tiering.cold_bytes_per_point',
      figure: 'Cold tier: bytes per metric point in Parquet (series inlined)',
      duckside: `${coldBpp.toFixed(2)} B`,
      peer: `hot DuckDB: ${hotBpp.toFixed(2)} B`,
      how: 'bytes per point',
      ratio: coldBpp,
      bound: 6,
      better: 'lower',
    },
  ];
  const rows = measured.map((m) => {
    const ratio = m.tiered.median / m.hot.median;
    results[`tiering.${m.w.id}_hot_ms`] = m.hot.median;
    results[`tiering.${m.w.id}_tiered_ms`] = m.tiered.median;
    results[`tiering.${m.w.id}_ratio`] = ratio;
    const t: RatioTarget = {
      key: `tiering.${m.w.id}_ratio`,
      figure: `Cold tier: ${m.w.title}`,
      duckside: `${formatMs(m.tiered.median)} ms (23 days cold + 7 hot)`,
      peer: `fully hot: ${formatMs(m.hot.median)} ms`,
      how: 'tiered ÷ hot, ms',
      ratio,
      bound: m.w.days === 1 ? 1.5 : 2,
      better: 'lower',
    };
    targets.push(t);
    return [
      m.w.title,
      formatCount(m.rows),
      formatMs(m.hot.median),
      formatMs(m.tiered.median),
      formatRatio(ratio),
      targetCell(t),
    ];
  });
  const markdown = [
    `${TIER_BENCH_DAYS} days written through core, one day per commit, into two databases: ${formatCount(written)} rows each ` +
      `(${formatCount(s.pointsPerDay)} gauge points per day over 32 series, a trade per symbol every ${s.tradeEverySeconds} s, 8 symbols). ` +
      `One stays hot; the other moves the 23 oldest days to Parquet (\`--hot-days 7\`): ${formatCount(moved.rows)} rows in ${formatMs(moved.ms)} ms ` +
      `(${formatCount(movedPerS)} rows/s, ${targetCell(targets[0])}) into ${coldPoints.files + coldTrades.files} files, ${formatBytes(moved.bytes)}. ` +
      `Medians of ${RUNS} runs after a warm-up; the answers of both databases checked equal. One-day queries look at a cold day.`,
    '',
    markdownTable(['query', 'rows', 'fully hot ms', 'tiered ms', 'tiered ÷ hot', 'target'], rows),
    '',
    `Ingest (core, batches of 10,000 points, same process): idle ${formatCount(idleRate)} rows/s (the faster of a run before and one after the move); while the move ran ${formatCount(busyRate)} rows/s: ` +
      `${formatRatio(busyRate / idleRate)} (${targetCell(targets[1])}).`,
    '',
    `Bytes per metric point: hot DuckDB ${hotBpp.toFixed(2)} B (persisted blocks of \`metric_points\`, series in \`metric_series\`), ` +
      `cold Parquet ${coldBpp.toFixed(2)} B with every series column inlined (${targetCell(targets[2])}); trades: hot ${(hotTrades.bytes / hotTrades.rows).toFixed(2)} B, cold ${(coldTrades.bytes / coldTrades.rows).toFixed(2)} B.`,
  ].join('\n');
  return { title: 'Cold tier', markdown, results, targets };
}
