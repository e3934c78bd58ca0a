import {
  emptyHistogramPoint,
  emptySeriesContext,
  MetricBatch,
  Temporality,
} from '../../src/entries/ingest.ts';
import type { Database } from '../../src/index.ts';

/** The point {@link writeSmallHistogram} writes: 3 observations, 1 up to 5 and 2 above, sum 12, min 1, max 9. */
export const SMALL_HISTOGRAM = {
  count: 3,
  sum: 12,
  min: 1,
  max: 9,
  bucketCounts: [1, 2],
  explicitBounds: [5],
};

/**
 * Writes one delta explicit-bucket histogram point ({@link SMALL_HISTOGRAM}) of metric `name` at `timeMs`.
 * @example await writeSmallHistogram(db, 'fills', Date.UTC(2024, 0, 1));
 */
export function writeSmallHistogram(db: Database, name: string, timeMs: number): Promise<void> {
  const batch = new MetricBatch();
  batch.pushHistogram(emptySeriesContext(name), {
    ...emptyHistogramPoint(Temporality.Delta),
    ...SMALL_HISTOGRAM,
    timeMicros: timeMs * 1000,
  });
  return db.writeMetricBatch(batch);
}
