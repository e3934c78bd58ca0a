import type { Exemplar } from '@duckside/core';
import {
  type ExpHistogramPoint,
  emptyExpHistogramPoint,
  emptyHistogramPoint,
  emptyScalarPoint,
  encodeExemplars,
  type HistogramPoint,
  MetricBatch,
  MetricKind,
  type PointBase,
  type SeriesContext,
  Temporality,
  type TemporalityCode,
} from '@duckside/core/ingest';
import { ValueType } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type ExponentialHistogram,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { MappingError } from './errors.ts';
import { type HrTime, hrTimeToNanos, hrTimeToSplit } from './hr-time.ts';
import { resourceColumn, type ScopeLike, scopeColumn, serviceOf } from './series-context.ts';
import { attributesColumn, toTypedAttributes } from './typed-attributes.ts';

/** An exemplar as some SDK versions attach it to a data point (`exemplars` is not in every SDK's type). */
interface SdkExemplar {
  readonly filteredAttributes: Readonly<Record<string, unknown>>;
  readonly value: number;
  readonly timestamp: HrTime;
  readonly spanId?: string;
  readonly traceId?: string;
}

type AnyDataPoint = DataPoint<unknown> & { readonly exemplars?: readonly SdkExemplar[] };

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/**
 * Turns the SDK's collected metrics into core `MetricBatch`es with the same column values the OTLP receiver
 * stores for the same data sent through the OTLP exporters: `service` from the resource's `service.name`,
 * `symbol` from the point attribute `symbol`, typed attributes, resource and scope JSON, a start time of 0 as
 * null, gauges without temporality, int instruments in `value_int`.
 *
 * The encoded attributes of a data point are cached by the identity of its attributes object (the SDK keeps
 * one object per series and treats it as immutable once recorded), so a cumulative export re-encodes nothing.
 * @example
 * const mapper = new MetricBatchMapper();
 * for (const batch of mapper.slices(resourceMetrics, 1024)) await db.writeMetricBatch(batch);
 */
export class MetricBatchMapper {
  private readonly attributeCache = new WeakMap<object, string>();
  private readonly split = { micros: 0, nanos: 0 };

  /**
   * Yields batches of at most `sliceRows` points (the last one may be smaller; none for no points).
   * @throws MappingError on a data point type the exporter does not know.
   */
  *slices(
    metrics: ResourceMetrics,
    sliceRows = Number.POSITIVE_INFINITY,
  ): Generator<MetricBatch, void, void> {
    const resource = resourceColumn(metrics.resource);
    const service = serviceOf(metrics.resource);
    let batch = new MetricBatch();
    for (const scopeMetrics of metrics.scopeMetrics) {
      const scope = scopeColumn(scopeMetrics.scope as ScopeLike);
      for (const metric of scopeMetrics.metrics) {
        const series: SeriesContext = {
          name: metric.descriptor.name,
          description: metric.descriptor.description,
          unit: metric.descriptor.unit,
          service,
          resource,
          scope,
        };
        const push = this.pusher(series, metric);
        for (const dp of metric.dataPoints as AnyDataPoint[]) {
          push(batch, dp);
          if (batch.size >= sliceRows) {
            yield batch;
            batch = new MetricBatch();
          }
        }
      }
    }
    if (batch.size > 0) yield batch;
  }

  /** All points in one batch. */
  toBatch(metrics: ResourceMetrics): MetricBatch {
    const batches = [...this.slices(metrics)];
    return batches[0] ?? new MetricBatch();
  }

  /** A function that maps one data point of `metric` into a batch, reusing one scratch point. */
  private pusher(series: SeriesContext, metric: MetricData): (batch: MetricBatch, dp: AnyDataPoint) => void {
    const isInt = metric.descriptor.valueType === ValueType.INT;
    switch (metric.dataPointType) {
      case DataPointType.SUM:
      case DataPointType.GAUGE: {
        const isSum = metric.dataPointType === DataPointType.SUM;
        const point = emptyScalarPoint();
        point.kind = isSum ? MetricKind.Sum : MetricKind.Gauge;
        point.temporality = isSum ? temporalityCode(metric.aggregationTemporality) : Temporality.Unspecified;
        point.isMonotonic = isSum ? metric.isMonotonic : null;
        return (batch, dp) => {
          this.fillBase(point, dp, isInt);
          const value = dp.value as number;
          point.valueInt = isInt ? toInt64(value) : null;
          point.value = point.valueInt === null ? value : Number(point.valueInt);
          batch.pushScalar(series, point);
        };
      }
      case DataPointType.HISTOGRAM: {
        const point = emptyHistogramPoint(temporalityCode(metric.aggregationTemporality));
        return (batch, dp) => {
          this.fillBase(point, dp, isInt);
          fillHistogram(point, dp.value as Histogram);
          batch.pushHistogram(series, point);
        };
      }
      case DataPointType.EXPONENTIAL_HISTOGRAM: {
        const point = emptyExpHistogramPoint(temporalityCode(metric.aggregationTemporality));
        return (batch, dp) => {
          this.fillBase(point, dp, isInt);
          fillExpHistogram(point, dp.value as ExponentialHistogram);
          batch.pushExpHistogram(series, point);
        };
      }
      default:
        throw new MappingError(
          `unknown data point type ${(metric as { dataPointType: unknown }).dataPointType}`,
        );
    }
  }

  private fillBase(point: PointBase, dp: AnyDataPoint, isInt: boolean): void {
    const split = this.split;
    hrTimeToSplit(dp.endTime, split);
    point.timeMicros = split.micros;
    point.timeNanos = split.nanos;
    hrTimeToSplit(dp.startTime, split);
    const unset = split.micros === 0 && split.nanos === 0;
    point.startMicros = unset ? null : split.micros;
    point.startNanos = unset ? 0 : split.nanos;
    point.attributes = this.cachedAttributes(dp.attributes);
    const symbol = dp.attributes.symbol;
    point.symbol = typeof symbol === 'string' ? symbol : null;
    point.exemplars =
      dp.exemplars && dp.exemplars.length > 0
        ? encodeExemplars(dp.exemplars.map((e) => toExemplar(e, isInt)))
        : null;
    point.flags = 0;
  }

  private cachedAttributes(attributes: Readonly<Record<string, unknown>>): string {
    let text = this.attributeCache.get(attributes);
    if (text === undefined) {
      text = attributesColumn(attributes);
      this.attributeCache.set(attributes, text);
    }
    return text;
  }
}

/**
 * Maps collected metrics into one new batch.
 * @example await db.writeMetricBatch(toMetricBatch(resourceMetrics));
 */
export function toMetricBatch(metrics: ResourceMetrics): MetricBatch {
  return new MetricBatchMapper().toBatch(metrics);
}

function fillHistogram(point: HistogramPoint, h: Histogram): void {
  point.count = h.count;
  point.sum = h.sum ?? null;
  point.min = h.min ?? null;
  point.max = h.max ?? null;
  point.bucketCounts = h.buckets.counts;
  point.explicitBounds = h.buckets.boundaries;
}

function fillExpHistogram(point: ExpHistogramPoint, h: ExponentialHistogram): void {
  point.count = h.count;
  point.sum = h.sum ?? null;
  point.min = h.min ?? null;
  point.max = h.max ?? null;
  point.scale = h.scale;
  point.zeroCount = h.zeroCount;
  point.zeroThreshold = (h as { zeroThreshold?: number }).zeroThreshold ?? 0;
  point.positiveOffset = h.positive.offset;
  point.positiveBucketCounts = h.positive.bucketCounts;
  point.negativeOffset = h.negative.offset;
  point.negativeBucketCounts = h.negative.bucketCounts;
}

function toExemplar(e: SdkExemplar, isInt: boolean): Exemplar {
  return {
    timeUnixNano: hrTimeToNanos(e.timestamp),
    value: isInt ? toInt64(e.value) : e.value,
    traceId: (e.traceId ?? '').toLowerCase(),
    spanId: (e.spanId ?? '').toLowerCase(),
    filteredAttributes: toTypedAttributes(e.filteredAttributes),
  };
}

/** OTLP's temporality code for the SDK's enum. */
function temporalityCode(temporality: AggregationTemporality): TemporalityCode {
  switch (temporality) {
    case AggregationTemporality.DELTA:
      return Temporality.Delta;
    case AggregationTemporality.CUMULATIVE:
      return Temporality.Cumulative;
    default:
      return Temporality.Unspecified;
  }
}

/** A number as int64 the way protobuf's int64 writers treat it: truncated, NaN as 0, clamped to the range. */
function toInt64(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return MAX_INT64;
  if (value <= -(2 ** 63)) return MIN_INT64;
  return BigInt(Math.trunc(value));
}
