import {
  type ExpHistogramPoint,
  type HistogramPoint,
  MetricKind,
  type PointBase,
  type ScalarPoint,
  type SeriesContext,
  type SummaryPoint,
  Temporality,
  type TemporalityCode,
} from './metric-batch.ts';

/**
 * A series context with only a name: no unit, description, service, resource or scope (how application metrics
 * and a decoder's reusable context start).
 * @example batch.pushScalar(emptySeriesContext('fill_ratio'), point);
 */
export function emptySeriesContext(name = ''): SeriesContext {
  return { name, description: '', unit: '', service: null, resource: '{}', scope: '{}' };
}

/** Fields of a point with nothing set yet (time 0, no start, no attributes). */
function emptyBase(): PointBase {
  return {
    timeMicros: 0,
    timeNanos: 0,
    startMicros: null,
    startNanos: 0,
    attributes: '{}',
    symbol: null,
    exemplars: null,
    flags: 0,
  };
}

/**
 * Fields every point kind shares, empty: what a decoder's reused scratch point is reset to between points.
 * @example Object.assign(scratch, emptyPointBase());
 */
export const emptyPointBase: () => PointBase = emptyBase;

/**
 * A fresh gauge point with every field at its empty value: the scratch object decoders and mappers fill and
 * hand to `MetricBatch.pushScalar` (which copies it), so one object serves every point.
 * @example const p = emptyScalarPoint(); p.value = 1; batch.pushScalar(series, p);
 */
export function emptyScalarPoint(): ScalarPoint {
  return {
    ...emptyBase(),
    kind: MetricKind.Gauge,
    temporality: Temporality.Unspecified,
    isMonotonic: null,
    value: 0,
    valueInt: null,
  };
}

/** Fields histograms of both kinds share, empty. */
function emptyDistribution(temporality: TemporalityCode) {
  return { ...emptyBase(), temporality, count: 0, sum: null, min: null, max: null };
}

/** A fresh explicit-bucket histogram scratch point. */
export function emptyHistogramPoint(temporality: TemporalityCode = Temporality.Unspecified): HistogramPoint {
  return { ...emptyDistribution(temporality), bucketCounts: [], explicitBounds: [] };
}

/** A fresh exponential histogram scratch point. */
export function emptyExpHistogramPoint(
  temporality: TemporalityCode = Temporality.Unspecified,
): ExpHistogramPoint {
  return {
    ...emptyDistribution(temporality),
    scale: 0,
    zeroCount: 0,
    zeroThreshold: 0,
    positiveOffset: 0,
    positiveBucketCounts: [],
    negativeOffset: 0,
    negativeBucketCounts: [],
  };
}

/** A fresh summary scratch point. */
export function emptySummaryPoint(): SummaryPoint {
  return { ...emptyBase(), count: 0, sum: 0, quantiles: [], quantileValues: [] };
}
