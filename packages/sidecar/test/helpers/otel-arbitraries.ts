import { type HrTime, type Attributes as SdkAttributes, ValueType } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import type { PlainAnyValue, PlainKeyValue } from './otel-expected.ts';

/**
 * fast-check arbitraries of OTLP metric requests: plain requests covering every field the protocol has
 * (for protobufjs and the JSON mapping), and SDK `ResourceMetrics` (for the SDK's own serializers).
 */

const TWO_63 = 2n ** 63n;
/** The latest time core stores exactly: (2^53 - 1) microseconds and 999 ns. */
const MAX_TIME = (2n ** 53n - 1n) * 1000n + 999n;

const double = fc.double();
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('symbol', 'BTC/USD', 'venue', ''),
);
const safeCount = fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }).map(String);
const smallCount = fc.integer({ min: 0, max: 1000 }).map(String);
const count = fc.oneof(smallCount, safeCount);
const time = fc.bigInt({ min: 1n, max: MAX_TIME }).map(String);
const int64 = fc.bigInt({ min: -TWO_63, max: TWO_63 - 1n }).map(String);

const anyValue: fc.Arbitrary<PlainAnyValue> = fc.letrec<{ value: PlainAnyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text.map((stringValue) => ({ stringValue })),
    fc.boolean().map((boolValue) => ({ boolValue })),
    int64.map((intValue) => ({ intValue })),
    double.map((doubleValue) => ({ doubleValue })),
    fc.uint8Array({ maxLength: 8 }).map((bytesValue) => ({ bytesValue })),
    fc.constant({}),
    fc.array(tie('value'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc
      .uniqueArray(fc.record({ key: text, value: tie('value') }), { maxLength: 3, selector: (kv) => kv.key })
      .map((values) => ({ kvlistValue: { values } })),
  ),
})).value;

/** A unique-key attribute list (sometimes with a string `symbol`). */
export const plainAttributes: fc.Arbitrary<PlainKeyValue[]> = fc
  .tuple(
    fc.uniqueArray(fc.record({ key: text, value: anyValue }), { maxLength: 4, selector: (kv) => kv.key }),
    fc.option(text, { nil: undefined }),
  )
  .map(([list, symbol]) => {
    const rest = list.filter((kv) => kv.key !== 'symbol');
    return symbol === undefined ? list : [...rest, { key: 'symbol', value: { stringValue: symbol } }];
  });

const exemplar = fc.record(
  {
    filteredAttributes: plainAttributes,
    timeUnixNano: time,
    value: fc.oneof(
      double.map((asDouble) => ({ asDouble })),
      int64.map((asInt) => ({ asInt })),
    ),
    spanId: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 8, maxLength: 8 })),
    traceId: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 16, maxLength: 16 })),
  },
  { requiredKeys: ['timeUnixNano', 'value'] },
);

const base = {
  attributes: plainAttributes,
  startTimeUnixNano: fc.oneof(fc.constant('0'), time),
  timeUnixNano: time,
  exemplars: fc
    .array(exemplar, { maxLength: 2 })
    .map((list) => list.map(({ value, ...e }) => ({ ...e, ...value }))),
  flags: fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 0xffffffff })),
};
const noExemplars = { ...base, exemplars: fc.constant([]) };

const numberPoint = fc
  .tuple(
    fc.record(base),
    fc.oneof(
      double.map((asDouble) => ({ asDouble })),
      int64.map((asInt) => ({ asInt })),
    ),
  )
  .map(([p, value]) => ({ ...p, ...value }));
const histogramPoint = fc.record(
  {
    ...base,
    count,
    sum: double,
    min: double,
    max: double,
    bucketCounts: fc.array(count, { maxLength: 6 }),
    explicitBounds: fc.array(double, { maxLength: 5 }),
  },
  { requiredKeys: ['attributes', 'timeUnixNano', 'count'] },
);
const buckets = fc.record({
  offset: fc.integer({ min: -2000, max: 2000 }),
  bucketCounts: fc.array(count, { maxLength: 6 }),
});
const expHistogramPoint = fc.record(
  {
    ...base,
    count,
    sum: double,
    scale: fc.integer({ min: -10, max: 20 }),
    zeroCount: count,
    positive: buckets,
    negative: buckets,
    min: double,
    max: double,
    zeroThreshold: double,
  },
  { requiredKeys: ['attributes', 'timeUnixNano', 'count', 'scale', 'zeroCount'] },
);
const summaryPoint = fc.record({
  ...noExemplars,
  count,
  sum: double,
  quantileValues: fc.array(
    fc.record({ quantile: fc.double({ min: 0, max: 1, noNaN: true }), value: double }),
    {
      maxLength: 4,
    },
  ),
});

const temporality = fc.constantFrom(0, 1, 2);
const points = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 1, maxLength: 3 });
const metricData = fc.oneof(
  points(numberPoint).map((dataPoints) => ({ gauge: { dataPoints } })),
  fc
    .record({
      dataPoints: points(numberPoint),
      aggregationTemporality: temporality,
      isMonotonic: fc.boolean(),
    })
    .map((sum) => ({ sum })),
  fc
    .record({ dataPoints: points(histogramPoint), aggregationTemporality: temporality })
    .map((histogram) => ({ histogram })),
  fc
    .record({ dataPoints: points(expHistogramPoint), aggregationTemporality: temporality })
    .map((exponentialHistogram) => ({ exponentialHistogram })),
  points(summaryPoint).map((dataPoints) => ({ summary: { dataPoints } })),
);
/** Metric names are never empty: the decoders reject a metric without a name (tested on its own). */
const metricName = text.filter((name) => name !== '');
const metric = fc
  .tuple(fc.record({ name: metricName, description: text, unit: text }), metricData)
  .map(([m, data]) => ({ ...m, ...data }));
const uint32 = fc.integer({ min: 0, max: 0xffffffff });

/** A plain `ExportMetricsServiceRequest` using every field of the protocol. */
export const plainRequest = fc.record({
  resourceMetrics: fc.array(
    fc.record({
      resource: fc.record({ attributes: plainAttributes, droppedAttributesCount: uint32 }),
      schemaUrl: text,
      scopeMetrics: fc.array(
        fc.record({
          scope: fc.record({
            name: text,
            version: text,
            attributes: plainAttributes,
            droppedAttributesCount: uint32,
          }),
          schemaUrl: text,
          metrics: fc.array(metric, { maxLength: 3 }),
        }),
        { maxLength: 2 },
      ),
    }),
    { maxLength: 2 },
  ),
});

// ---- SDK ResourceMetrics (what the OpenTelemetry JS SDK can produce) ----
// The SDK's JSON serializer writes -0 as 0 and non-finite numbers as null, so those stay out.

/** A finite double other than -0. */
const finite = (constraints: { min?: number; max?: number } = {}) =>
  fc.double({ noNaN: true, noDefaultInfinity: true, ...constraints }).map((v) => (Object.is(v, -0) ? 0 : v));

const sdkScalar = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.boolean(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger(),
  finite().filter((v) => !Number.isInteger(v)),
);
const sdkValue = fc.oneof(
  sdkScalar,
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.array(fc.boolean(), { maxLength: 3 }),
);
const sdkAttributes: fc.Arbitrary<SdkAttributes> = fc.dictionary(
  fc.oneof(fc.string({ maxLength: 8 }), fc.constant('symbol')),
  sdkValue,
  { maxKeys: 4 },
);
const hrTime: fc.Arbitrary<HrTime> = fc.tuple(
  fc.integer({ min: 1, max: 4_000_000_000 }),
  fc.integer({ min: 0, max: 999_999_999 }),
);
const sdkCount = fc.integer({ min: 0, max: 1_000_000 });

const sdkNumberPoints = (valueType: ValueType) =>
  fc.array(
    fc.record({
      startTime: hrTime,
      endTime: hrTime,
      attributes: sdkAttributes,
      value: valueType === ValueType.INT ? fc.maxSafeInteger() : finite(),
    }),
    { minLength: 1, maxLength: 3 },
  );

const optionalFinite = fc.option(finite({ min: -1e12, max: 1e12 }), { nil: undefined });
const sdkHistogramPoints = fc.array(
  fc.record({
    startTime: hrTime,
    endTime: hrTime,
    attributes: sdkAttributes,
    value: fc.record({
      buckets: fc.record({
        boundaries: fc.array(finite(), { maxLength: 4 }),
        counts: fc.array(sdkCount, { maxLength: 5 }),
      }),
      count: sdkCount,
      sum: optionalFinite,
      min: optionalFinite,
      max: optionalFinite,
    }),
  }),
  { minLength: 1, maxLength: 3 },
);
const sdkBuckets = fc.record({
  offset: fc.integer({ min: -500, max: 500 }),
  bucketCounts: fc.array(sdkCount, { maxLength: 5 }),
});
const sdkExpPoints = fc.array(
  fc.record({
    startTime: hrTime,
    endTime: hrTime,
    attributes: sdkAttributes,
    value: fc.record({
      count: sdkCount,
      sum: optionalFinite,
      scale: fc.integer({ min: -10, max: 20 }),
      zeroCount: sdkCount,
      positive: sdkBuckets,
      negative: sdkBuckets,
      min: optionalFinite,
      max: optionalFinite,
    }),
  }),
  { minLength: 1, maxLength: 3 },
);

const descriptor = (valueType: ValueType) =>
  fc.record({
    name: fc.string({ minLength: 1, maxLength: 10 }),
    description: fc.string({ maxLength: 10 }),
    unit: fc.string({ maxLength: 4 }),
    valueType: fc.constant(valueType),
  });
const sdkTemporality = fc.constantFrom(AggregationTemporality.DELTA, AggregationTemporality.CUMULATIVE);
const valueType = fc.constantFrom(ValueType.INT, ValueType.DOUBLE);

const sdkMetric: fc.Arbitrary<MetricData> = fc.oneof(
  valueType.chain((vt) =>
    fc.record({
      descriptor: descriptor(vt),
      aggregationTemporality: sdkTemporality,
      dataPointType: fc.constant(DataPointType.SUM as const),
      isMonotonic: fc.boolean(),
      dataPoints: sdkNumberPoints(vt),
    }),
  ),
  valueType.chain((vt) =>
    fc.record({
      descriptor: descriptor(vt),
      aggregationTemporality: sdkTemporality,
      dataPointType: fc.constant(DataPointType.GAUGE as const),
      dataPoints: sdkNumberPoints(vt),
    }),
  ),
  fc.record({
    descriptor: descriptor(ValueType.DOUBLE),
    aggregationTemporality: sdkTemporality,
    dataPointType: fc.constant(DataPointType.HISTOGRAM as const),
    dataPoints: sdkHistogramPoints,
  }),
  fc.record({
    descriptor: descriptor(ValueType.DOUBLE),
    aggregationTemporality: sdkTemporality,
    dataPointType: fc.constant(DataPointType.EXPONENTIAL_HISTOGRAM as const),
    dataPoints: sdkExpPoints,
  }),
) as fc.Arbitrary<MetricData>;

/** SDK `ResourceMetrics` with every data point type and temporality. */
export const sdkResourceMetrics: fc.Arbitrary<ResourceMetrics> = fc.record({
  resource: fc.record({
    attributes: sdkAttributes,
    schemaUrl: fc.option(fc.webUrl(), { nil: undefined }),
  }),
  scopeMetrics: fc.array(
    fc.record({
      scope: fc.record(
        { name: fc.string({ maxLength: 8 }), version: fc.string({ maxLength: 5 }), schemaUrl: fc.webUrl() },
        { requiredKeys: ['name'] },
      ),
      metrics: fc.array(sdkMetric, { maxLength: 3 }),
    }),
    { maxLength: 2 },
  ) as fc.Arbitrary<ScopeMetrics[]>,
}) as unknown as fc.Arbitrary<ResourceMetrics>;
