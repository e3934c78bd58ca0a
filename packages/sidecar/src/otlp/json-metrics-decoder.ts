import { MetricKind, type PointBase, Temporality, type TemporalityCode } from '@duckside/core';
import { MalformedRequestError } from './errors.ts';
import { JsonAttributes } from './json-attributes.ts';
import { doubleJson, exemplarJson, resourceJson, scopeJson } from './json-text.ts';
import {
  boolField,
  doubleField,
  enumField,
  hexField,
  int32Field,
  int64Field,
  listField,
  nanosField,
  objectField,
  optionalDoubleField,
  stringField,
  uint64Field,
} from './json-values.ts';
import { type DecodedMetrics, PointSink } from './point-sink.ts';
import { quoteBigIntegers } from './quote-big-integers.ts';

type Json = Record<string, unknown>;

const TEMPORALITY_NAMES = [
  'AGGREGATION_TEMPORALITY_UNSPECIFIED',
  'AGGREGATION_TEMPORALITY_DELTA',
  'AGGREGATION_TEMPORALITY_CUMULATIVE',
] as const;
const Kind = { Gauge: 0, Sum: 1, Histogram: 2, ExpHistogram: 3, Summary: 4 } as const;
type KindCode = (typeof Kind)[keyof typeof Kind];

const COUNT_RANGE = 'count beyond 2^53';
const NO_VALUE = 'number data point without a value';
const BAD_TEMPORALITY = 'unknown aggregation temporality';

/**
 * Decodes an OTLP/JSON `ExportMetricsServiceRequest` into core's columnar `MetricBatch` (OTLP JSON mapping:
 * lowerCamelCase keys, 64-bit integers as strings or numbers, enums as numbers or names, hex trace and span
 * ids, unknown fields ignored). A request that is not JSON or whose structure has the wrong types is
 * malformed; a data point with a bad value is rejected on its own (counted in `rejected`).
 * @throws MalformedRequestError
 * @example
 * const { batch } = decodeJsonMetrics('{"resourceMetrics":[]}'); // batch.size === 0
 */
export function decodeJsonMetrics(text: string): DecodedMetrics {
  let root: unknown;
  try {
    root = JSON.parse(quoteBigIntegers(text));
  } catch (error) {
    throw new MalformedRequestError('the body is not valid JSON', { cause: error });
  }
  const request = objectField(root, 'the request');
  if (request === undefined) throw new MalformedRequestError('the request must be a JSON object');
  return new JsonMetricsDecoder().decode(request);
}

class JsonMetricsDecoder {
  private readonly sink = new PointSink();
  private readonly attrs = new JsonAttributes();
  private readonly split = { micros: 0, nanos: 0 };

  decode(request: Json): DecodedMetrics {
    for (const rm of listField(request.resourceMetrics, 'resourceMetrics')) {
      this.resourceMetrics(objectField(rm, 'resourceMetrics') ?? {});
    }
    return this.sink.result();
  }

  private resourceMetrics(rm: Json): void {
    const resource = objectField(rm.resource, 'resource') ?? {};
    const attributes = this.attrs.list(resource.attributes, 'resource.attributes', 'service.name');
    const series = this.sink.series;
    series.service = this.attrs.promoted;
    series.resource = resourceJson(
      attributes.slice(1, -1),
      int32Field(resource.droppedAttributesCount, 'resource.droppedAttributesCount'),
      stringField(rm.schemaUrl, 'schemaUrl'),
    );
    for (const sm of listField(rm.scopeMetrics, 'scopeMetrics')) {
      this.scopeMetrics(objectField(sm, 'scopeMetrics') ?? {});
    }
  }

  private scopeMetrics(sm: Json): void {
    const scope = objectField(sm.scope, 'scope') ?? {};
    this.sink.series.scope = scopeJson(
      stringField(scope.name, 'scope.name'),
      stringField(scope.version, 'scope.version'),
      this.attrs.list(scope.attributes, 'scope.attributes', '').slice(1, -1),
      int32Field(scope.droppedAttributesCount, 'scope.droppedAttributesCount'),
      stringField(sm.schemaUrl, 'schemaUrl'),
    );
    for (const m of listField(sm.metrics, 'metrics')) this.metric(objectField(m, 'metrics') ?? {});
  }

  private metric(m: Json): void {
    const series = this.sink.series;
    series.name = stringField(m.name, 'metric.name');
    series.description = stringField(m.description, 'metric.description');
    series.unit = stringField(m.unit, 'metric.unit');
    if (m.gauge != null) this.data(m.gauge, Kind.Gauge);
    else if (m.sum != null) this.data(m.sum, Kind.Sum);
    else if (m.histogram != null) this.data(m.histogram, Kind.Histogram);
    else if (m.exponentialHistogram != null) this.data(m.exponentialHistogram, Kind.ExpHistogram);
    else if (m.summary != null) this.data(m.summary, Kind.Summary);
  }

  private data(raw: unknown, kind: KindCode): void {
    const sink = this.sink;
    const data = objectField(raw, 'metric data') ?? {};
    const points = listField(data.dataPoints, 'dataPoints');
    const temporality = enumField(data.aggregationTemporality, 'aggregationTemporality', TEMPORALITY_NAMES);
    if (temporality < 0 || temporality > Temporality.Cumulative) {
      sink.reject(BAD_TEMPORALITY, sink.series.name, points.length);
      return;
    }
    const code = temporality as TemporalityCode;
    sink.scalar.kind = kind === Kind.Gauge ? MetricKind.Gauge : MetricKind.Sum;
    sink.scalar.temporality = kind === Kind.Gauge ? Temporality.Unspecified : code;
    sink.scalar.isMonotonic = kind === Kind.Gauge ? null : boolField(data.isMonotonic, 'isMonotonic');
    sink.histogram.temporality = code;
    sink.expHistogram.temporality = code;
    for (const point of points) {
      let reason: string;
      try {
        reason = this.point(objectField(point, 'dataPoints') ?? {}, kind);
      } catch (error) {
        if (!(error instanceof MalformedRequestError)) throw error;
        reason = error.message;
      }
      if (reason) sink.reject(reason, sink.series.name);
    }
  }

  /** Decodes and stores one point; returns why it was not stored ('' when it was). */
  private point(d: Json, kind: KindCode): string {
    const sink = this.sink;
    switch (kind) {
      case Kind.Gauge:
      case Kind.Sum: {
        const p = sink.scalar;
        const reason = this.base(p, d);
        if (d.asDouble != null) {
          p.value = doubleField(d.asDouble, 'asDouble');
          p.valueInt = null;
        } else if (d.asInt != null) {
          p.valueInt = int64Field(d.asInt, 'asInt');
          p.value = Number(p.valueInt);
        } else {
          return reason || NO_VALUE;
        }
        if (!reason) sink.batch.pushScalar(sink.series, p);
        return reason;
      }
      case Kind.Histogram: {
        const p = sink.histogram;
        const reason = this.base(p, d);
        p.count = uint64Field(d.count, 'count');
        p.sum = optionalDoubleField(d.sum, 'sum');
        p.min = optionalDoubleField(d.min, 'min');
        p.max = optionalDoubleField(d.max, 'max');
        p.bucketCounts = counts(d.bucketCounts, 'bucketCounts');
        p.explicitBounds = listField(d.explicitBounds, 'explicitBounds').map((b) =>
          doubleField(b, 'explicitBounds'),
        );
        const why = reason || countReason(p.count, p.bucketCounts);
        if (!why) sink.batch.pushHistogram(sink.series, p);
        return why;
      }
      case Kind.ExpHistogram: {
        const p = sink.expHistogram;
        const reason = this.base(p, d);
        p.count = uint64Field(d.count, 'count');
        p.sum = optionalDoubleField(d.sum, 'sum');
        p.min = optionalDoubleField(d.min, 'min');
        p.max = optionalDoubleField(d.max, 'max');
        p.scale = int32Field(d.scale, 'scale');
        p.zeroCount = uint64Field(d.zeroCount, 'zeroCount');
        p.zeroThreshold = optionalDoubleField(d.zeroThreshold, 'zeroThreshold') ?? 0;
        const positive = objectField(d.positive, 'positive') ?? {};
        const negative = objectField(d.negative, 'negative') ?? {};
        p.positiveOffset = int32Field(positive.offset, 'positive.offset');
        p.positiveBucketCounts = counts(positive.bucketCounts, 'positive.bucketCounts');
        p.negativeOffset = int32Field(negative.offset, 'negative.offset');
        p.negativeBucketCounts = counts(negative.bucketCounts, 'negative.bucketCounts');
        const why =
          reason ||
          countReason(p.count, p.positiveBucketCounts) ||
          countReason(p.zeroCount, p.negativeBucketCounts);
        if (!why) sink.batch.pushExpHistogram(sink.series, p);
        return why;
      }
      default: {
        const p = sink.summary;
        const reason = this.base(p, d);
        p.count = uint64Field(d.count, 'count');
        p.sum = optionalDoubleField(d.sum, 'sum') ?? 0;
        p.quantiles = [];
        p.quantileValues = [];
        for (const raw of listField(d.quantileValues, 'quantileValues')) {
          const q = objectField(raw, 'quantileValues') ?? {};
          p.quantiles.push(optionalDoubleField(q.quantile, 'quantile') ?? 0);
          p.quantileValues.push(optionalDoubleField(q.value, 'value') ?? 0);
        }
        const why = reason || (p.count < 0 ? COUNT_RANGE : '');
        if (!why) sink.batch.pushSummary(sink.series, p);
        return why;
      }
    }
  }

  /** Fills the fields every point kind shares and returns why its times cannot be stored ('' if they can). */
  private base(p: PointBase, d: Json): string {
    this.sink.resetBase(p);
    const split = this.split;
    nanosField(d.timeUnixNano, 'timeUnixNano', split);
    p.timeMicros = split.micros;
    p.timeNanos = split.nanos;
    nanosField(d.startTimeUnixNano, 'startTimeUnixNano', split);
    p.startMicros = split.micros;
    p.startNanos = split.nanos;
    p.attributes = this.attrs.list(d.attributes, 'attributes', 'symbol');
    p.symbol = this.attrs.promoted;
    p.flags = int32Field(d.flags, 'flags') >>> 0;
    const exemplars = listField(d.exemplars, 'exemplars');
    if (exemplars.length > 0) p.exemplars = `[${exemplars.map((e) => this.exemplar(e)).join(',')}]`;
    return this.sink.checkTimes(p);
  }

  private exemplar(raw: unknown): string {
    const e = objectField(raw, 'exemplars') ?? {};
    const time = { micros: 0, nanos: 0 };
    nanosField(e.timeUnixNano, 'exemplars.timeUnixNano', time);
    let value = 'null';
    if (e.asDouble != null) value = doubleJson(doubleField(e.asDouble, 'exemplars.asDouble'));
    else if (e.asInt != null) value = int64Field(e.asInt, 'exemplars.asInt').toString();
    return exemplarJson(
      (BigInt(time.micros) * 1000n + BigInt(time.nanos)).toString(),
      value,
      hexField(e.traceId, 'exemplars.traceId'),
      hexField(e.spanId, 'exemplars.spanId'),
      this.attrs.list(e.filteredAttributes, 'exemplars.filteredAttributes', ''),
    );
  }
}

function counts(value: unknown, field: string): number[] {
  const list = listField(value, field);
  const out = new Array<number>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = uint64Field(list[i], field);
  return out;
}

/** COUNT_RANGE when the count or any listed count did not fit a safe integer (marked -1). */
function countReason(count: number, list: readonly number[]): string {
  return count < 0 || list.includes(-1) ? COUNT_RANGE : '';
}
