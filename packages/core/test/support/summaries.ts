import {
  emptySeriesContext,
  emptySummaryPoint,
  encodeAttributes,
  MetricBatch,
} from '../../src/entries/ingest.ts';
import type { Database } from '../../src/index.ts';

/** A summary point as tests describe it (counts since `startMs`). */
export interface TestSummary {
  name: string;
  timeMs: number;
  startMs: number;
  symbol: string;
  count: number;
  sum: number;
  quantiles: Readonly<Record<number, number>>;
}

/**
 * Writes summary points.
 * @example await writeSummaries(db, [{ name: 'rpc', timeMs: 0, startMs: 0, symbol: 'X', count: 2, sum: 3, quantiles: { 0.5: 1 } }]);
 */
export function writeSummaries(db: Database, points: readonly TestSummary[]): Promise<void> {
  const batch = new MetricBatch();
  for (const p of points) {
    const quantiles = Object.keys(p.quantiles).map(Number).sort();
    batch.pushSummary(
      { ...emptySeriesContext(p.name), service: 'oms' },
      {
        ...emptySummaryPoint(),
        timeMicros: p.timeMs * 1000,
        startMicros: p.startMs * 1000,
        attributes: encodeAttributes({ symbol: p.symbol }),
        symbol: p.symbol,
        count: p.count,
        sum: p.sum,
        quantiles,
        quantileValues: quantiles.map((q) => p.quantiles[q] as number),
      },
    );
  }
  return db.writeMetricBatch(batch);
}
