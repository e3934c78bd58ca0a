import {
  emptyExpHistogramPoint,
  emptyHistogramPoint,
  emptyPointBase,
  emptySummaryPoint,
  Temporality,
} from '@duckside/core/ingest';
import { describe, expect, it } from 'vitest';
import { PointSink } from './point-sink.ts';

/** Sets every field of a scratch point to a value no empty point has. */
function soil(p: object): void {
  for (const key of Object.keys(p)) {
    const value = (p as Record<string, unknown>)[key];
    (p as Record<string, unknown>)[key] = Array.isArray(value) ? [7] : typeof value === 'string' ? 'x' : 7;
  }
}

describe('PointSink scratch points', () => {
  it('clears each reused point to exactly the empty point of its kind, keeping the temporality', () => {
    const sink = new PointSink();
    sink.beginMetric(false, Temporality.Delta, true);
    soil(sink.histogram);
    soil(sink.expHistogram);
    soil(sink.summary);
    sink.histogram.temporality = Temporality.Delta;
    sink.expHistogram.temporality = Temporality.Cumulative;
    expect(sink.nextHistogram()).toStrictEqual(emptyHistogramPoint(Temporality.Delta));
    expect(sink.nextExpHistogram()).toStrictEqual(emptyExpHistogramPoint(Temporality.Cumulative));
    expect(sink.nextSummary()).toStrictEqual(emptySummaryPoint());
    soil(sink.scalar);
    sink.resetBase(sink.scalar);
    expect(sink.scalar).toMatchObject(emptyPointBase());
  });

  it('gives each point fresh lists, so a stored point keeps its buckets', () => {
    const sink = new PointSink();
    const first = sink.nextHistogram().bucketCounts;
    first.push(1);
    expect(sink.nextHistogram().bucketCounts).toEqual([]);
    expect(first).toEqual([1]);
  });
});
