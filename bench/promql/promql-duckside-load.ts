import { Database } from '@duckside/core';
import { emptyHistogramPoint, encodeAttributes, MetricBatch, Temporality } from '@duckside/core/ingest';
import { toMetricBatch } from '../core/to-metric-batch.ts';
import { ATTRIBUTE_TEXTS, RESOURCE_TEXTS, SCOPE_TEXT, SERVICES, SYMBOLS } from '../core/trading-catalog.ts';
import { DATA_START, emptyMetricRows, type MetricRows } from '../core/trading-data.ts';
import { LATENCY_BOUNDS, type PromqlData } from './promql-data.ts';

const BATCH_ROWS = 100_000;

/** OTLP identity of the latency histogram: `order.ack.latency` in ms, i.e. `order_ack_latency_milliseconds`. */
export const LATENCY_HISTOGRAM = {
  name: 'order.ack.latency',
  description: 'Order submit to exchange ack',
  unit: 'ms',
  service: SERVICES[1] as string,
  resource: RESOURCE_TEXTS[1] as string,
  scope: SCOPE_TEXT,
};

/** The scalar points `from`..`to` as the core bench's `MetricRows` (so its `toMetricBatch` fills the batch). */
function scalarRows(data: PromqlData, from: number, to: number): MetricRows {
  const n = to - from;
  const rows: MetricRows = { ...emptyMetricRows(n), value: data.scalars.value.slice(from, to) };
  for (let i = 0; i < n; i++) {
    const key = data.scalars.key[from + i]!;
    const attributes = key % ATTRIBUTE_TEXTS.length;
    rows.timeMicros[i] = data.scalars.ms[from + i]! * 1000;
    rows.metric[i] = Math.floor(key / ATTRIBUTE_TEXTS.length);
    rows.attributes[i] = attributes;
    rows.symbol[i] = attributes % SYMBOLS.length;
  }
  return rows;
}

/** The histogram points as core batches (per-bucket counts, as OTLP carries them). */
function* histogramBatches(data: PromqlData): Generator<MetricBatch> {
  const { steps, ms, counts, sums } = data.histograms;
  const buckets = LATENCY_BOUNDS.length + 1;
  const attributes = SYMBOLS.map(({ symbol }) => encodeAttributes({ symbol }));
  let batch = new MetricBatch();
  let inBatch = 0;
  for (let step = 0; step < steps; step++) {
    for (let s = 0; s < SYMBOLS.length; s++) {
      const at = (step * SYMBOLS.length + s) * buckets;
      const p = emptyHistogramPoint(Temporality.Cumulative);
      p.timeMicros = ms[step]! * 1000;
      p.startMicros = DATA_START * 1000;
      p.symbol = SYMBOLS[s]!.symbol;
      p.attributes = attributes[s]!;
      p.explicitBounds = LATENCY_BOUNDS;
      p.bucketCounts = Array.from(
        { length: buckets },
        (_, b) => counts[at + b]! - (b > 0 ? counts[at + b - 1]! : 0),
      );
      p.count = counts[at + buckets - 1]!;
      p.sum = sums[step * SYMBOLS.length + s]!;
      batch.pushHistogram(LATENCY_HISTOGRAM, p);
      if (++inBatch === BATCH_ROWS / 10) {
        yield batch;
        batch = new MetricBatch();
        inBatch = 0;
      }
    }
  }
  if (inBatch > 0) yield batch;
}

/**
 * Writes the data set into a Duckside database file through core's write API (checkpointed on close).
 * @example await loadDuckside(data, '/tmp/promql.duckdb');
 */
export async function loadDuckside(data: PromqlData, path: string): Promise<void> {
  const db = await Database.open({ path });
  try {
    for (let from = 0; from < data.scalars.length; from += BATCH_ROWS) {
      await db.writeMetricBatch(
        toMetricBatch(scalarRows(data, from, Math.min(data.scalars.length, from + BATCH_ROWS))),
      );
    }
    for (const batch of histogramBatches(data)) await db.writeMetricBatch(batch);
  } finally {
    await db.close();
  }
}
