import {
  type ExpHistogramPoint,
  emptyExpHistogramPoint,
  emptyHistogramPoint,
  emptyScalarPoint,
  emptySeriesContext,
  emptySummaryPoint,
  type HistogramPoint,
  MetricBatch,
  MetricKind,
  type PointBase,
  type ScalarPoint,
  type SeriesContext,
  type SummaryPoint,
  Temporality,
  type TemporalityCode,
} from '@duckside/core/ingest';

/** What a decoder produced: the points to store and how many it had to leave out. */
export interface DecodedMetrics {
  /** The storable points, columnar, ready for `db.writeMetricBatch`. */
  batch: MetricBatch;
  /** Points that cannot be stored (reported as `partial_success.rejected_data_points`). */
  rejected: number;
  /** Why the first rejected point was left out ('' when none was). */
  rejectReason: string;
}

/**
 * Clears the fields every point kind shares to `emptyPointBase()`'s values, field by field (per point, several
 * times faster than `Object.assign` from a template; the point-sink test checks they agree).
 */
function clearBase<P extends PointBase>(p: P): P {
  p.timeMicros = 0;
  p.timeNanos = 0;
  p.startMicros = null;
  p.startNanos = 0;
  p.attributes = '{}';
  p.symbol = null;
  p.exemplars = null;
  p.flags = 0;
  return p;
}

/** Clears the fields both histogram kinds share, keeping the temporality (the metric's). */
function resetDistribution<P extends HistogramPoint | ExpHistogramPoint>(p: P): P {
  clearBase(p);
  p.count = 0;
  p.sum = null;
  p.min = null;
  p.max = null;
  return p;
}
const NO_TIME_REASON = 'time_unix_nano is 0 or missing';
const TIME_RANGE_REASON = 'timestamp beyond the storable range (year 2255)';
const NO_NAME_REASON = 'metric name is empty';
const BAD_TEMPORALITY_REASON = 'unknown aggregation temporality';

/**
 * Collects decoded points into a {@link MetricBatch}: one reusable scratch object per point kind and one
 * reusable series context (the batch copies their fields), plus the count and first reason of rejected points.
 * @example
 * const sink = new PointSink();
 * sink.resetBase(sink.scalar); sink.scalar.value = 1; sink.scalar.timeMicros = 1;
 * sink.batch.pushScalar(sink.series, sink.scalar);
 */
export class PointSink {
  readonly batch = new MetricBatch();
  readonly series: SeriesContext = emptySeriesContext();
  readonly scalar: ScalarPoint = emptyScalarPoint();
  readonly histogram: HistogramPoint = emptyHistogramPoint();
  readonly expHistogram: ExpHistogramPoint = emptyExpHistogramPoint();
  readonly summary: SummaryPoint = emptySummaryPoint();
  private rejected = 0;
  private reason = '';

  /**
   * Sets what every point of the next metric takes from the metric itself: gauge or sum, temporality (gauges
   * have none) and, for sums, the monotonic flag.
   */
  beginMetric(isGauge: boolean, temporality: TemporalityCode, monotonic: boolean | null): void {
    this.scalar.kind = isGauge ? MetricKind.Gauge : MetricKind.Sum;
    this.scalar.temporality = isGauge ? Temporality.Unspecified : temporality;
    this.scalar.isMonotonic = isGauge ? null : monotonic;
    this.histogram.temporality = temporality;
    this.expHistogram.temporality = temporality;
  }

  /** Clears the fields every point kind shares. */
  resetBase(p: PointBase): void {
    clearBase(p);
  }

  /**
   * The histogram scratch point, cleared but for its temporality (the metric's). Fields are reset in place (one
   * object per point kind, not one per point); the lists are fresh because the batch keeps them.
   */
  nextHistogram(): HistogramPoint {
    const p = resetDistribution(this.histogram);
    p.bucketCounts = [];
    p.explicitBounds = [];
    return p;
  }

  /** The exponential histogram scratch point, cleared but for its temporality. */
  nextExpHistogram(): ExpHistogramPoint {
    const p = resetDistribution(this.expHistogram);
    p.scale = 0;
    p.zeroCount = 0;
    p.zeroThreshold = 0;
    p.positiveOffset = 0;
    p.positiveBucketCounts = [];
    p.negativeOffset = 0;
    p.negativeBucketCounts = [];
    return p;
  }

  /** The summary scratch point, cleared. */
  nextSummary(): SummaryPoint {
    const p = clearBase(this.summary);
    p.count = 0;
    p.sum = 0;
    p.quantiles = [];
    p.quantileValues = [];
    return p;
  }

  /**
   * Why the point's times cannot be stored, or '' when they can. `timeMicros` must be set; a `startMicros`
   * of 0 means unset and becomes null.
   */
  checkTimes(p: PointBase): string {
    if (p.timeMicros === 0 && p.timeNanos === 0) return NO_TIME_REASON;
    if (p.timeMicros > Number.MAX_SAFE_INTEGER) return TIME_RANGE_REASON;
    if (p.startMicros === 0 && p.startNanos === 0) p.startMicros = null;
    else if (p.startMicros !== null && p.startMicros > Number.MAX_SAFE_INTEGER) return TIME_RANGE_REASON;
    return '';
  }

  /**
   * Why no point of the current metric can be stored, or '' when they can: its name (in `series`) is empty, or
   * its aggregation temporality is not 0, 1 or 2.
   * @example
   * const problem = sink.metricProblem(temporality);
   * if (problem) sink.reject(problem, sink.series.name, points);
   */
  metricProblem(temporality: number): string {
    if (this.series.name === '') return NO_NAME_REASON;
    if (temporality < 0 || temporality > Temporality.Cumulative) return BAD_TEMPORALITY_REASON;
    return '';
  }

  /** Counts `count` points as rejected for `reason` (about metric `metric`). */
  reject(reason: string, metric: string, count = 1): void {
    if (count <= 0) return;
    if (this.rejected === 0) this.reason = `${reason} (metric ${JSON.stringify(metric)})`;
    this.rejected += count;
  }

  /** The batch and the rejection figures. */
  result(): DecodedMetrics {
    const more = this.rejected > 1 ? `; ${this.rejected} data points rejected in all` : '';
    return {
      batch: this.batch,
      rejected: this.rejected,
      rejectReason: this.rejected ? this.reason + more : '',
    };
  }
}
