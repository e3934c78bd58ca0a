import {
  emptyExpHistogramPoint,
  emptySeriesContext,
  encodeAttributes,
  MetricBatch,
  Temporality,
  type TemporalityCode,
} from '../../src/entries/ingest.ts';
import type { Database } from '../../src/index.ts';

/** The bucket fields of an exponential histogram point. */
export interface ExpBuckets {
  scale: number;
  zeroThreshold: number;
  zeroCount: number;
  positiveOffset: number;
  positiveBucketCounts: number[];
  negativeOffset: number;
  negativeBucketCounts: number[];
}

/** Bucket `i` of a scale holds magnitudes in (base^i, base^(i+1)], base = 2^(2^-scale) (OpenTelemetry's mapping). */
export function expBucketIndex(magnitude: number, scale: number): number {
  return Math.ceil(Math.log2(magnitude) * 2 ** scale) - 1;
}

/** Counts per bucket index as a dense list from the lowest index. */
function dense(indexes: number[]): { offset: number; counts: number[] } {
  if (indexes.length === 0) return { offset: 0, counts: [] };
  const offset = Math.min(...indexes);
  const counts = new Array<number>(Math.max(...indexes) - offset + 1).fill(0);
  for (const i of indexes) counts[i - offset] = (counts[i - offset] as number) + 1;
  return { offset, counts };
}

/**
 * Buckets raw observations the way an OpenTelemetry SDK would at `scale`: magnitudes up to `zeroThreshold` in
 * the zero bucket, others by {@link expBucketIndex}.
 * @example expBuckets([1, 3, -2], 0) // positive offset 0 counts [1, 1], negative offset 0 counts [1]
 */
export function expBuckets(values: readonly number[], scale: number, zeroThreshold = 0): ExpBuckets {
  const positive = dense(values.filter((v) => v > zeroThreshold).map((v) => expBucketIndex(v, scale)));
  const negative = dense(values.filter((v) => v < -zeroThreshold).map((v) => expBucketIndex(-v, scale)));
  return {
    scale,
    zeroThreshold,
    zeroCount: values.filter((v) => Math.abs(v) <= zeroThreshold).length,
    positiveOffset: positive.offset,
    positiveBucketCounts: positive.counts,
    negativeOffset: negative.offset,
    negativeBucketCounts: negative.counts,
  };
}

/** An exponential histogram point as tests describe it: the raw observations it holds (all since start when cumulative). */
export interface TestExpHistogram {
  name: string;
  timeMs: number;
  symbol: string;
  values: readonly number[];
  scale: number;
  zeroThreshold?: number;
  /** Delta unless given. */
  temporality?: TemporalityCode;
  startMs?: number;
}

/**
 * Writes exponential histogram points built from raw observations (count, sum, min and max from them too).
 * @example await writeExpHistograms(db, [{ name: 'lat', timeMs: 0, symbol: 'X', values: [1, 2], scale: 3 }]);
 */
export function writeExpHistograms(db: Database, points: readonly TestExpHistogram[]): Promise<void> {
  const batch = new MetricBatch();
  for (const p of points) {
    const point = {
      ...emptyExpHistogramPoint(p.temporality ?? Temporality.Delta),
      ...expBuckets(p.values, p.scale, p.zeroThreshold),
      timeMicros: p.timeMs * 1000,
      startMicros: p.startMs === undefined ? null : p.startMs * 1000,
      attributes: encodeAttributes({ symbol: p.symbol }),
      symbol: p.symbol,
      count: p.values.length,
      sum: p.values.reduce((a, b) => a + b, 0),
      min: p.values.length === 0 ? null : Math.min(...p.values),
      max: p.values.length === 0 ? null : Math.max(...p.values),
    };
    batch.pushExpHistogram({ ...emptySeriesContext(p.name), unit: 'ms', service: 'oms' }, point);
  }
  return db.writeMetricBatch(batch);
}

/**
 * The observation holding rank `q * n` of a sample: the `ceil(q * n)`-th smallest (the first for q = 0). A
 * histogram's bucket holding that rank holds this observation, so bucketed estimates are checked against it.
 * @example nearestRank([5, 1, 3, 2], 0.5) // 2
 */
export function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}
