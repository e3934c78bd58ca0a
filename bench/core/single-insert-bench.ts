import { join } from 'node:path';
import { Database, MetricRecord } from '@duckside/core';
import { interleavedRuns } from '../lib/interleaved-runs.ts';
import { Prng } from '../lib/prng.ts';
import { median, quantile, timeMs } from '../lib/timing.ts';
import { toMetricBatch } from './to-metric-batch.ts';
import { EXCHANGES, METRICS, STRATEGIES, SYMBOLS } from './trading-catalog.ts';
import { TradingDataGenerator } from './trading-data.ts';

/** Figures of the single-insert and small-batch benchmarks. */
export interface SingleInsertResult {
  /** 10,000 `db.insertMetric` calls in flight at once: rows per second (median of the runs). */
  concurrentRowsPerS: number;
  concurrentMs: number;
  /** Commits the writer needed for those 10,000 calls (group commit coalesces them). */
  concurrentCommits: number;
  /** One awaited `db.insertMetric` at a time: latency p50 / p99 in ms. */
  loneP50Ms: number;
  loneP99Ms: number;
  /** Sequential awaited inserts per second (1000 / mean latency). */
  sequentialPerS: number;
  /** `db.insertMetrics` of the same 10,000 records in one call (median; runs in turn with the concurrent inserts). */
  batch10kMs: number;
  /** `db.writeMetricBatch` of 10,000 OTLP-shaped points in one call (median). */
  metricBatch10kMs: number;
  /** Building (and validating) 10,000 `MetricRecord`s, not included in the figures above. */
  build10kMs: number;
}

/** Records (and concurrent calls) of the single-insert workloads. */
export const SINGLE_INSERT_RECORDS = 10_000;
const LONE = 300;

/** 10,000 application metrics as a trading service would record them. */
function buildRecords(n: number, seed: number): MetricRecord[] {
  const rng = new Prng(seed);
  const now = Date.UTC(2025, 2, 10);
  const records: MetricRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    records[i] = new MetricRecord(METRICS[rng.int(METRICS.length)]!.name, rng.next() * 100, now + i)
      .withSymbol(SYMBOLS[rng.int(SYMBOLS.length)]!.symbol)
      .addLabel('exchange', EXCHANGES[rng.int(EXCHANGES.length)]!)
      .addLabel('strategy', STRATEGIES[rng.int(STRATEGIES.length)]!);
  }
  return records;
}

/**
 * Single-metric inserts into a fresh database file: 10,000 concurrent `db.insertMetric` calls (the group-commit
 * writer coalesces them) taking turns with their peer, `insertMetrics` of the same 10,000 records; the latency
 * of one lone insert; and 10,000 OTLP-shaped points through `writeMetricBatch`. Each timed figure is the median
 * of `runs` runs after a warm-up.
 * @example const r = await singleInsertBench('/tmp/bench', 5); r.concurrentRowsPerS
 */
export async function singleInsertBench(dir: string, runs: number): Promise<SingleInsertResult> {
  const db = await Database.open({ path: join(dir, 'single-inserts.duckdb') });
  try {
    let records: MetricRecord[] = [];
    const build10kMs = await timeMs(() => {
      records = buildRecords(SINGLE_INSERT_RECORDS, 7);
    });
    // The concurrent single inserts and their peer, one `insertMetrics` call with the same records, take turns.
    const commits: number[] = [];
    const [concurrent, batch] = await interleavedRuns(runs, [
      async () => {
        const before = db.writerStats().commits;
        await Promise.all(records.map((m) => db.insertMetric(m)));
        commits.push(db.writerStats().commits - before);
      },
      () => db.insertMetrics(records),
    ]);
    commits.shift(); // the warm-up run
    const lone: number[] = [];
    for (let i = 0; i < LONE + 20; i++) {
      const record = records[i]!;
      const ms = await timeMs(() => db.insertMetric(record));
      if (i >= 20) lone.push(ms);
    }
    const points = new TradingDataGenerator(SINGLE_INSERT_RECORDS).next(SINGLE_INSERT_RECORDS)!;
    const metricBatch: number[] = [];
    for (let r = 0; r <= runs; r++) {
      const ms = await timeMs(() => db.writeMetricBatch(toMetricBatch(points)));
      if (r > 0) metricBatch.push(ms);
    }
    const concurrentMs = concurrent!.median;
    const meanLone = lone.reduce((a, b) => a + b, 0) / lone.length;
    return {
      concurrentRowsPerS: SINGLE_INSERT_RECORDS / (concurrentMs / 1000),
      concurrentMs,
      concurrentCommits: median(commits),
      loneP50Ms: quantile(lone, 0.5),
      loneP99Ms: quantile(lone, 0.99),
      sequentialPerS: 1000 / meanLone,
      batch10kMs: batch!.median,
      metricBatch10kMs: median(metricBatch),
      build10kMs,
    };
  } finally {
    await db.close();
  }
}
