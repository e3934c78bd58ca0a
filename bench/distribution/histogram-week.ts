import type { Database } from '@duckside/core';
import {
  emptyExpHistogramPoint,
  emptyHistogramPoint,
  emptySeriesContext,
  encodeAttributes,
  MetricBatch,
  Temporality,
} from '@duckside/core/ingest';
import { Prng } from '../lib/prng.ts';

/** The OpenTelemetry SDK's default explicit bounds (ms). */
export const DEFAULT_BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
/** Scale of the exponential histograms: base 2^(1/8), about 9 % per bucket. */
export const EXP_SCALE = 3;
/** Exponential bucket indexes kept: 0.5 ms to 20 s (values outside are clamped into the end buckets). */
const EXP_OFFSET = Math.ceil(Math.log2(0.5) * 2 ** EXP_SCALE) - 1;
const EXP_BUCKETS = Math.ceil(Math.log2(20_000) * 2 ** EXP_SCALE) - 1 - EXP_OFFSET + 1;

/** Shape of the week: symbols, one point per series per export interval. */
export interface WeekShape {
  symbols: number;
  days: number;
  exportSeconds: number;
  observationsPerPoint: number;
}

const bump = (counts: number[], i: number) => {
  counts[i] = (counts[i] as number) + 1;
};
const SERIES_CONTEXT = { ...emptySeriesContext(), unit: 'ms', service: 'oms' };
const WEEK_START_MS = Date.UTC(2024, 0, 1);

/**
 * Writes the same latency observations twice, as the SDK would export them under either aggregation: cumulative
 * explicit-bucket histograms (`order_latency_ms`, default bounds) and cumulative exponential histograms
 * (`order_latency_exp_ms`, scale 3), one point per symbol per export interval over `days` days. Returns the time
 * range written and the points per kind.
 * @example const week = await writeHistogramWeek(db, { symbols: 20, days: 7, exportSeconds: 60, observationsPerPoint: 40 });
 */
export async function writeHistogramWeek(
  db: Database,
  shape: WeekShape,
): Promise<{ fromMs: number; toMs: number; points: number }> {
  const rng = new Prng(21);
  const steps = Math.floor((shape.days * 86_400) / shape.exportSeconds);
  const explicit = Array.from({ length: shape.symbols }, () =>
    new Array<number>(DEFAULT_BOUNDS.length + 1).fill(0),
  );
  const exp = Array.from({ length: shape.symbols }, () => new Array<number>(EXP_BUCKETS).fill(0));
  const totals = Array.from({ length: shape.symbols }, () => ({
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
  }));
  let batch = new MetricBatch();
  for (let step = 1; step <= steps; step++) {
    const timeMicros = (WEEK_START_MS + step * shape.exportSeconds * 1000) * 1000;
    for (let s = 0; s < shape.symbols; s++) {
      const symbol = `SYM${s}/USD`;
      const t = totals[s] as (typeof totals)[number];
      for (let i = 0; i < shape.observationsPerPoint; i++) {
        // Log-normal latency around 20 ms, a slower tail for higher symbols.
        const value = Math.exp(3 + rng.normal() * (0.6 + s / shape.symbols));
        const bound = DEFAULT_BOUNDS.findIndex((b) => value <= b);
        bump(explicit[s] as number[], bound === -1 ? DEFAULT_BOUNDS.length : bound);
        const index = Math.ceil(Math.log2(value) * 2 ** EXP_SCALE) - 1 - EXP_OFFSET;
        bump(exp[s] as number[], Math.min(EXP_BUCKETS - 1, Math.max(0, index)));
        t.count++;
        t.sum += value;
        t.min = Math.min(t.min, value);
        t.max = Math.max(t.max, value);
      }
      const base = {
        timeMicros,
        startMicros: WEEK_START_MS * 1000,
        attributes: encodeAttributes({ symbol }),
        symbol,
        count: t.count,
        sum: t.sum,
        min: t.min,
        max: t.max,
      };
      batch.pushHistogram(
        { ...SERIES_CONTEXT, name: 'order_latency_ms' },
        {
          ...emptyHistogramPoint(Temporality.Cumulative),
          ...base,
          bucketCounts: [...(explicit[s] as number[])],
          explicitBounds: DEFAULT_BOUNDS,
        },
      );
      batch.pushExpHistogram(
        { ...SERIES_CONTEXT, name: 'order_latency_exp_ms' },
        {
          ...emptyExpHistogramPoint(Temporality.Cumulative),
          ...base,
          scale: EXP_SCALE,
          positiveOffset: EXP_OFFSET,
          positiveBucketCounts: [...(exp[s] as number[])],
        },
      );
    }
    if (batch.size >= 40_000) {
      await db.writeMetricBatch(batch);
      batch = new MetricBatch();
    }
  }
  await db.writeMetricBatch(batch);
  return {
    fromMs: WEEK_START_MS,
    toMs: WEEK_START_MS + (steps + 1) * shape.exportSeconds * 1000,
    points: steps * shape.symbols,
  };
}
