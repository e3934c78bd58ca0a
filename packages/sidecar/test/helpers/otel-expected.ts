import type { Attributes, AttributeValue, Exemplar, ResourceInfo, ScopeInfo } from '@duckside/core';
import { type HrTime, ValueType } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type ExponentialHistogram,
  type Histogram,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { type PointKind, type StoredPoint, sortPoints } from './otel-points.ts';

/** What the OpenTelemetry SDK serializers send for one attribute value, typed as core stores it. */
export function typedSdkValue(value: unknown): AttributeValue {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(typedSdkValue);
  if (typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typedSdkValue(v)]));
  }
  return value as AttributeValue;
}

function typedSdkAttributes(attributes: Record<string, unknown> | undefined): Attributes {
  return typedSdkValue(attributes ?? {}) as Attributes;
}

const hrNanos = (t: HrTime) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
const stringOr = (v: AttributeValue | undefined) => (typeof v === 'string' ? v : null);

/**
 * The points the SDK's `ResourceMetrics` must be stored as (what its OTLP serializers encode: ints as
 * int64, no exemplars, flags 0, dropped counts 0).
 */
export function expectedFromSdk(rm: ResourceMetrics): StoredPoint[] {
  const resourceAttributes = typedSdkAttributes(rm.resource.attributes);
  const resource: ResourceInfo = {
    attributes: resourceAttributes,
    droppedAttributesCount: 0,
    schemaUrl: rm.resource.schemaUrl ?? '',
  };
  const out: StoredPoint[] = [];
  for (const sm of rm.scopeMetrics) {
    const scope: ScopeInfo = {
      name: sm.scope.name,
      version: sm.scope.version ?? '',
      attributes: typedSdkAttributes((sm.scope as { attributes?: Record<string, unknown> }).attributes),
      droppedAttributesCount: 0,
      schemaUrl: sm.scope.schemaUrl ?? '',
    };
    for (const metric of sm.metrics) {
      const temporality = metric.aggregationTemporality === AggregationTemporality.DELTA ? 1 : 2;
      for (const dp of metric.dataPoints) {
        const attributes = typedSdkAttributes(dp.attributes);
        const start = hrNanos(dp.startTime);
        const point = {
          name: metric.descriptor.name,
          description: metric.descriptor.description,
          unit: metric.descriptor.unit,
          service: stringOr(resourceAttributes['service.name']),
          symbol: stringOr(attributes.symbol),
          resource,
          scope,
          attributes,
          exemplars: [],
          flags: 0,
          time: hrNanos(dp.endTime),
          start: start === 0n ? null : start,
        };
        out.push({ ...point, ...sdkData(metric.dataPointType, metric, dp.value, temporality) });
      }
    }
  }
  return sortPoints(out);
}

function sdkData(
  type: DataPointType,
  metric: ResourceMetrics['scopeMetrics'][number]['metrics'][number],
  value: unknown,
  temporality: number,
): { kind: PointKind; data: Record<string, unknown> } {
  switch (type) {
    case DataPointType.GAUGE:
    case DataPointType.SUM: {
      const v = value as number;
      const isInt = metric.descriptor.valueType === ValueType.INT;
      const sum = type === DataPointType.SUM;
      return {
        kind: sum ? 'sum' : 'gauge',
        data: {
          temporality: sum ? temporality : 0,
          isMonotonic: sum ? (metric as { isMonotonic: boolean }).isMonotonic : null,
          value: v,
          valueInt: isInt ? BigInt(v) : null,
        },
      };
    }
    case DataPointType.HISTOGRAM: {
      const h = value as Histogram;
      return {
        kind: 'histogram',
        data: {
          ...sdkDistribution(h, temporality),
          bucketCounts: h.buckets.counts,
          explicitBounds: h.buckets.boundaries,
        },
      };
    }
    default: {
      const h = value as ExponentialHistogram;
      return {
        kind: 'exponentialHistogram',
        data: {
          ...sdkDistribution(h, temporality),
          scale: h.scale,
          zeroCount: h.zeroCount,
          zeroThreshold: 0,
          positiveOffset: h.positive.offset,
          positiveBucketCounts: h.positive.bucketCounts,
          negativeOffset: h.negative.offset,
          negativeBucketCounts: h.negative.bucketCounts,
        },
      };
    }
  }
}

function sdkDistribution(h: Histogram | ExponentialHistogram, temporality: number) {
  return { temporality, count: h.count, sum: h.sum ?? null, min: h.min ?? null, max: h.max ?? null };
}

/** An OTLP `AnyValue` as a plain object (protobufjs camelCase; int64 as decimal strings; bytes as Uint8Array). */
export type PlainAnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: PlainAnyValue[] };
  kvlistValue?: { values: PlainKeyValue[] };
  bytesValue?: Uint8Array;
};
/** An OTLP `KeyValue` as a plain object. */
export type PlainKeyValue = { key: string; value?: PlainAnyValue };
type Plain = Record<string, unknown>;

/** The typed value core stores for a plain `AnyValue`. */
export function typedPlainValue(v: PlainAnyValue | undefined): AttributeValue {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return BigInt(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return v.arrayValue.values.map(typedPlainValue);
  if (v.kvlistValue !== undefined) return typedPlainAttributes(v.kvlistValue.values);
  if (v.bytesValue !== undefined) return v.bytesValue;
  return null;
}

function typedPlainAttributes(list: PlainKeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) out[kv.key] = typedPlainValue(kv.value);
  return out;
}

const hex = (b: unknown) => (b ? Buffer.from(b as Uint8Array).toString('hex') : '');
const big = (v: unknown) => BigInt((v as string | number | undefined) ?? 0);
const num = (v: unknown) => Number((v as string | number | undefined) ?? 0);
const list = (v: unknown) => (v as Plain[] | undefined) ?? [];

/**
 * The points a plain `ExportMetricsServiceRequest` (the shape {@link toOtlpJson} and protobufjs take) must be
 * stored as. An independent oracle for the decoders; it assumes every point is storable.
 */
export function expectedFromRequest(request: Plain): StoredPoint[] {
  const out: StoredPoint[] = [];
  for (const rm of list(request.resourceMetrics)) {
    const res = (rm.resource as Plain | undefined) ?? {};
    const resource: ResourceInfo = {
      attributes: typedPlainAttributes(res.attributes as PlainKeyValue[]),
      droppedAttributesCount: num(res.droppedAttributesCount),
      schemaUrl: (rm.schemaUrl as string | undefined) ?? '',
    };
    for (const sm of list(rm.scopeMetrics)) {
      const sc = (sm.scope as Plain | undefined) ?? {};
      const scope: ScopeInfo = {
        name: (sc.name as string | undefined) ?? '',
        version: (sc.version as string | undefined) ?? '',
        attributes: typedPlainAttributes(sc.attributes as PlainKeyValue[]),
        droppedAttributesCount: num(sc.droppedAttributesCount),
        schemaUrl: (sm.schemaUrl as string | undefined) ?? '',
      };
      for (const m of list(sm.metrics)) {
        const [kind, body] = metricData(m);
        if (!body) continue;
        for (const dp of list(body.dataPoints)) {
          const attributes = typedPlainAttributes(dp.attributes as PlainKeyValue[]);
          const start = big(dp.startTimeUnixNano);
          out.push({
            kind,
            name: (m.name as string | undefined) ?? '',
            description: (m.description as string | undefined) ?? '',
            unit: (m.unit as string | undefined) ?? '',
            service: stringOr(resource.attributes['service.name']),
            symbol: stringOr(attributes.symbol),
            resource,
            scope,
            attributes,
            exemplars: list(dp.exemplars).map(plainExemplar),
            flags: num(dp.flags),
            time: big(dp.timeUnixNano),
            start: start === 0n ? null : start,
            data: plainData(kind, body, dp),
          });
        }
      }
    }
  }
  return sortPoints(out);
}

function metricData(m: Plain): [PointKind, Plain | undefined] {
  for (const kind of ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const) {
    if (m[kind]) return [kind, m[kind] as Plain];
  }
  return ['gauge', undefined];
}

function plainExemplar(e: Plain): Exemplar {
  return {
    timeUnixNano: big(e.timeUnixNano),
    value: e.asInt !== undefined ? big(e.asInt) : (e.asDouble as number),
    traceId: hex(e.traceId),
    spanId: hex(e.spanId),
    filteredAttributes: typedPlainAttributes(e.filteredAttributes as PlainKeyValue[]),
  };
}

function plainData(kind: PointKind, body: Plain, dp: Plain): Record<string, unknown> {
  const temporality = num(body.aggregationTemporality);
  const optional = (v: unknown) => (v === undefined ? null : (v as number));
  switch (kind) {
    case 'gauge':
    case 'sum':
      return {
        temporality: kind === 'sum' ? temporality : 0,
        isMonotonic: kind === 'sum' ? Boolean(body.isMonotonic) : null,
        value: dp.asInt !== undefined ? Number(big(dp.asInt)) : dp.asDouble,
        valueInt: dp.asInt !== undefined ? big(dp.asInt) : null,
      };
    case 'histogram':
      return {
        temporality,
        count: num(dp.count),
        sum: optional(dp.sum),
        min: optional(dp.min),
        max: optional(dp.max),
        bucketCounts: list(dp.bucketCounts).map(num),
        explicitBounds: (dp.explicitBounds as number[] | undefined) ?? [],
      };
    case 'exponentialHistogram': {
      const pos = (dp.positive as Plain | undefined) ?? {};
      const neg = (dp.negative as Plain | undefined) ?? {};
      return {
        temporality,
        count: num(dp.count),
        sum: optional(dp.sum),
        min: optional(dp.min),
        max: optional(dp.max),
        scale: num(dp.scale),
        zeroCount: num(dp.zeroCount),
        zeroThreshold: num(dp.zeroThreshold),
        positiveOffset: num(pos.offset),
        positiveBucketCounts: list(pos.bucketCounts).map(num),
        negativeOffset: num(neg.offset),
        negativeBucketCounts: list(neg.bucketCounts).map(num),
      };
    }
    default:
      return {
        count: num(dp.count),
        sum: num(dp.sum),
        quantiles: list(dp.quantileValues).map((q) => num(q.quantile)),
        quantileValues: list(dp.quantileValues).map((q) => num(q.value)),
      };
  }
}

/**
 * A plain request in the OTLP/JSON encoding: hex trace and span ids, base64 bytes, non-finite doubles and -0
 * as strings, 64-bit integers as they are given (decimal strings). With `shuffleSeed`, the members of every
 * object come in a pseudo-random order.
 */
export function toOtlpJson(request: Plain, shuffleSeed?: number): string {
  let seed = shuffleSeed ?? 0;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return JSON.stringify(request, function (this: Plain, key, value: unknown) {
    const raw = this[key];
    if (raw instanceof Uint8Array) {
      const buf = Buffer.from(raw);
      return key === 'traceId' || key === 'spanId' ? buf.toString('hex') : buf.toString('base64');
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    if (Object.is(value, -0)) return '-0';
    if (shuffleSeed !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      // Members in a random order: context fields may then follow the data they apply to.
      const entries = Object.entries(value).map((e) => [random(), e] as const);
      return Object.fromEntries(entries.sort((a, b) => a[0] - b[0]).map(([, e]) => e));
    }
    return value;
  });
}
