import { join } from 'node:path';
import { CoreTelemetry, Database, MetricRecord } from '@duckside/core';
import { metrics, trace } from '@opentelemetry/api';
import {
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { timeMs } from '../lib/timing.ts';
import { INGEST_BATCH_ROWS } from './ingest-bench.ts';
import { toMetricBatch } from './to-metric-batch.ts';
import { TradingDataGenerator } from './trading-data.ts';

/** Figures of the self-instrumentation benchmark. */
export interface SelfInstrumentationResult {
  /** Points written on each side. */
  rows: number;
  /** Rows per `writeMetricBatch` call (the core ingest figure's batch). */
  batchRows: number;
  /** Core ingest without a provider, and with an SDK meter and tracer provider registered (rows/s). */
  plainRowsPerS: number;
  instrumentedRowsPerS: number;
  /** instrumented ÷ plain. */
  ratio: number;
  /** Cost of the instrumentation of one commit round with no provider registered (µs, API no-ops). */
  noProviderCommitUs: number;
  /** Median latency of one awaited single-record `insertMetric` without a provider (µs), for scale. */
  singleInsertUs: number;
}

/** SDK providers as an application would keep them: a periodic metric reader and batched spans. */
function sdkProviders(): { register(): void; unregister(): void; shutdown(): Promise<void> } {
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(0),
        exportIntervalMillis: 1_000,
      }),
    ],
  });
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new InMemorySpanExporter())],
  });
  return {
    register() {
      metrics.setGlobalMeterProvider(meterProvider);
      trace.setGlobalTracerProvider(tracerProvider);
    },
    unregister() {
      metrics.disable();
      trace.disable();
    },
    shutdown: () => Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()]).then(() => undefined),
  };
}

/**
 * Core ingest (`writeMetricBatch`, the core ingest figure's batches) into two database files, batch by batch
 * and interleaved (alternating which goes first): one with no OpenTelemetry provider, one with an SDK
 * `MeterProvider` and `TracerProvider` (created once, as an application keeps them) registered for exactly its
 * batches. Also times the no-provider cost of
 * one commit round's instrumentation in isolation (100,000 calls), next to a single awaited `insertMetric`. One
 * untimed warm-up batch per file comes first.
 * @example const r = await selfInstrumentationBench(1_000_000, dir); r.ratio
 */
export async function selfInstrumentationBench(
  rows: number,
  dir: string,
): Promise<SelfInstrumentationResult> {
  const plain = await Database.open({ path: join(dir, `telemetry-plain-${rows}.duckdb`) });
  const instrumented = await Database.open({ path: join(dir, `telemetry-on-${rows}.duckdb`) });
  const generator = new TradingDataGenerator(rows);
  let plainMs = 0;
  let instrumentedMs = 0;
  let round = 0;
  const providers = sdkProviders();
  // One warm-up batch per file, not timed (the first writes to a fresh file pay for its first blocks).
  const warmUp = new TradingDataGenerator(INGEST_BATCH_ROWS).next(INGEST_BATCH_ROWS);
  try {
    if (warmUp) {
      await plain.writeMetricBatch(toMetricBatch(warmUp));
      await instrumented.writeMetricBatch(toMetricBatch(warmUp));
    }
    for (let batch = generator.next(INGEST_BATCH_ROWS); batch; batch = generator.next(INGEST_BATCH_ROWS)) {
      const rowsOfBatch = batch;
      const runPlain = async () => {
        plainMs += await timeMs(() => plain.writeMetricBatch(toMetricBatch(rowsOfBatch)));
      };
      const runInstrumented = async () => {
        providers.register();
        instrumentedMs += await timeMs(() => instrumented.writeMetricBatch(toMetricBatch(rowsOfBatch)));
        providers.unregister();
      };
      if (round++ % 2 === 0) {
        await runPlain();
        await runInstrumented();
      } else {
        await runInstrumented();
        await runPlain();
      }
    }
    const singleInsertUs = await singleInsertLatencyUs(plain);
    const plainRowsPerS = rows / (plainMs / 1000);
    const instrumentedRowsPerS = rows / (instrumentedMs / 1000);
    return {
      rows,
      batchRows: INGEST_BATCH_ROWS,
      plainRowsPerS,
      instrumentedRowsPerS,
      ratio: instrumentedRowsPerS / plainRowsPerS,
      noProviderCommitUs: await noProviderCommitUs(),
      singleInsertUs,
    };
  } finally {
    await plain.close();
    await instrumented.close();
    await providers.shutdown();
  }
}

/** Median µs of one awaited single-record insert (300 calls). */
async function singleInsertLatencyUs(db: Database): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    times.push(
      await timeMs(() => db.insertMetric(new MetricRecord('bench_single', i, Date.UTC(2025, 0, 1) + i))),
    );
  }
  times.sort((a, b) => a - b);
  return (times[Math.floor(times.length / 2)] as number) * 1000;
}

/** µs per commit round spent in the instrumentation with no provider: instrumented calls minus bare calls. */
async function noProviderCommitUs(): Promise<number> {
  const telemetry = new CoreTelemetry('bench');
  const figures = { rowsByTable: new Map([['metric_points', 1000]]), jobs: 1 };
  const calls = 100_000;
  const bare = async () => figures;
  const withTelemetry = await timeMs(async () => {
    for (let i = 0; i < calls; i++) await telemetry.commit(bare);
  });
  const without = await timeMs(async () => {
    for (let i = 0; i < calls; i++) await bare();
  });
  return ((withTelemetry - without) * 1000) / calls;
}
