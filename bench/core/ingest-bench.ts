import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Database } from '@duckside/core';
import { BUILTIN_MIGRATIONS } from '@duckside/core/schema';
import { timeMs } from '../lib/timing.ts';
import { rawChunkAppend } from './raw-chunk-append.ts';
import { tableFingerprint } from './table-fingerprint.ts';
import { toMetricBatch } from './to-metric-batch.ts';
import { TradingDataGenerator } from './trading-data.ts';

/** Rows handed to one write call, on both paths. */
export const INGEST_BATCH_ROWS = Number(process.env.BENCH_BATCH ?? 100_000);

/** Figures of one ingest run. */
export interface IngestResult {
  rows: number;
  coreMs: number;
  rawMs: number;
  coreRowsPerS: number;
  rawRowsPerS: number;
  /** core / raw throughput. */
  ratio: number;
  /** Size of the core database file after close (checkpointed). */
  coreFileBytes: number;
  /** Path of the core database file, kept for the query benchmarks. */
  corePath: string;
}

/**
 * Writes `rows` synthetic points twice in the same run, batch by batch and interleaved: through core
 * (`MetricBatch` + `db.writeMetricBatch`, group-commit writer, one commit per batch) and through the raw
 * node-api data-chunk appender into a second database of the same schema. Only the write calls are timed;
 * generating the rows is not. Afterwards both databases must hold the same rows (fingerprint of every column).
 * @example const r = await ingestBench(1_000_000, '/tmp/bench'); r.ratio
 */
export async function ingestBench(
  rows: number,
  dir: string,
  log: (line: string) => void,
): Promise<IngestResult> {
  const corePath = join(dir, `core-${rows}.duckdb`);
  const rawPath = join(dir, `raw-${rows}.duckdb`);
  const db = await Database.open({ path: corePath });
  const rawInstance = await DuckDBInstance.create(rawPath);
  const raw = await rawInstance.connect();
  for (const migration of BUILTIN_MIGRATIONS) await raw.run(migration.up);
  const generator = new TradingDataGenerator(rows);
  let coreMs = 0;
  let rawMs = 0;
  let done = 0;
  try {
    for (let batch = generator.next(INGEST_BATCH_ROWS); batch; batch = generator.next(INGEST_BATCH_ROWS)) {
      const rowsOfBatch = batch;
      coreMs += await timeMs(() => db.writeMetricBatch(toMetricBatch(rowsOfBatch)));
      rawMs += await timeMs(() => rawChunkAppend(raw, rowsOfBatch));
      done += batch.length;
      if (done % 1_000_000 === 0)
        log(`  ingest ${rows.toLocaleString('en-US')}: ${done.toLocaleString('en-US')} rows`);
    }
    const [coreFingerprint, rawFingerprint] = [
      await db.withConnection(tableFingerprint),
      await tableFingerprint(raw),
    ];
    if (coreFingerprint !== rawFingerprint) {
      throw new Error(`core and raw databases differ after ingest: ${coreFingerprint} vs ${rawFingerprint}`);
    }
  } finally {
    raw.closeSync();
    rawInstance.closeSync();
    await db.close();
  }
  const coreRowsPerS = rows / (coreMs / 1000);
  const rawRowsPerS = rows / (rawMs / 1000);
  return {
    rows,
    coreMs,
    rawMs,
    coreRowsPerS,
    rawRowsPerS,
    ratio: coreRowsPerS / rawRowsPerS,
    coreFileBytes: statSync(corePath).size,
    corePath,
  };
}
