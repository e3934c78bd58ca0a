import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { encodeMessage, type ProtoField } from './proto-writer.ts';

/** Valid OTLP request bodies of every metric kind, the fuzzer's starting points. */
export interface OtlpSeeds {
  protobuf: Buffer[];
  json: Buffer[];
}

const T0: HrTime = [1_765_000_000, 123_456_789];
const T1: HrTime = [1_765_000_060, 987_654_321];
const ATTRS: Attributes = {
  symbol: 'BTC/USD',
  venue: 'binance',
  qty: 3,
  px: 101.25,
  live: true,
  tags: ['a', 'b'],
};

/**
 * Builds the seeds: gauges, sums, histograms and exponential histograms encoded by the OpenTelemetry SDK's
 * serializers (protobuf and JSON), plus hand-encoded summaries, exemplars, kvlist and bytes attributes.
 * @example const { protobuf, json } = otlpSeeds();
 */
export function otlpSeeds(): OtlpSeeds {
  const requests = sdkRequests();
  const protobuf: Buffer[] = requests.map((r) =>
    Buffer.from(ProtobufMetricsSerializer.serializeRequest(r) ?? []),
  );
  const json: Buffer[] = requests.map((r) => Buffer.from(JsonMetricsSerializer.serializeRequest(r) ?? []));
  protobuf.push(handMadeProtobuf());
  json.push(Buffer.from(JSON.stringify(handMadeJson())));
  return { protobuf, json };
}

function sdkRequests(): ResourceMetrics[] {
  const metrics: MetricData[] = [
    {
      descriptor: {
        name: 'order_latency_ms',
        description: 'latency',
        unit: 'ms',
        valueType: ValueType.DOUBLE,
      },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: [
        { startTime: T0, endTime: T1, attributes: ATTRS, value: 42.5 },
        { startTime: T0, endTime: T1, attributes: {}, value: -0.001 },
      ],
    },
    {
      descriptor: { name: 'orders_total', description: '', unit: '1', valueType: ValueType.INT },
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: [{ startTime: T0, endTime: T1, attributes: { symbol: 'ETH/USD' }, value: 17 }],
    },
    {
      descriptor: { name: 'fill_size', description: 'sizes', unit: 'lots', valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: [
        {
          startTime: T0,
          endTime: T1,
          attributes: ATTRS,
          value: {
            buckets: { boundaries: [1, 5, 10], counts: [1, 2, 0, 4] },
            sum: 71,
            count: 7,
            min: 0.5,
            max: 30,
          },
        },
      ],
    },
    {
      descriptor: { name: 'spread_bps', description: '', unit: 'bps', valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
      dataPoints: [
        {
          startTime: T0,
          endTime: T1,
          attributes: { symbol: 'BTC/USD' },
          value: {
            count: 9,
            sum: 12.5,
            scale: 3,
            zeroCount: 1,
            positive: { offset: -2, bucketCounts: [1, 0, 3, 2] },
            negative: { offset: 1, bucketCounts: [2] },
            min: -4,
            max: 7,
          },
        },
      ],
    },
  ];
  const resource = resourceFromAttributes({ 'service.name': 'fuzz', 'host.name': 'h1' });
  const scope = { name: 'fuzz-lib', version: '1.0.0' };
  return [
    { resource, scopeMetrics: [{ scope, metrics }] },
    ...metrics.map((m) => ({ resource, scopeMetrics: [{ scope, metrics: [m] }] })),
  ];
}

const keyValue = (key: string, value: readonly ProtoField[]): readonly ProtoField[] => [
  [1, 'string', key],
  [2, 'message', value],
];

/** A summary with quantiles, a gauge with an exemplar, kvlist, array and bytes attributes. */
function handMadeProtobuf(): Buffer {
  const t0 = 1_765_000_000_000_000_000n;
  const attributes: ProtoField[] = [
    [7, 'message', keyValue('symbol', [[1, 'string', 'SOL/USD']])],
    [7, 'message', keyValue('raw', [[7, 'bytes', Buffer.from([0, 1, 2, 255])]])],
    [
      7,
      'message',
      keyValue('nested', [[6, 'message', [[1, 'message', keyValue('depth', [[3, 'varint', -5n]])]]]]),
    ],
    [7, 'message', keyValue('list', [[5, 'message', [[1, 'message', [[4, 'double', 1.5]]]]]])],
  ];
  const summary: ProtoField[] = [
    [1, 'string', 'settle_ms'],
    [3, 'string', 'ms'],
    [
      11,
      'message',
      [
        [
          1,
          'message',
          [
            ...attributes,
            [2, 'fixed64', t0],
            [3, 'fixed64', t0 + 1_000n],
            [4, 'fixed64', 10n],
            [5, 'double', 55.5],
            [
              6,
              'message',
              [
                [1, 'double', 0.5],
                [2, 'double', 4],
              ],
            ],
            [
              6,
              'message',
              [
                [1, 'double', 0.99],
                [2, 'double', 12],
              ],
            ],
          ],
        ],
      ],
    ],
  ];
  const gauge: ProtoField[] = [
    [1, 'string', 'mid_price'],
    [
      5,
      'message',
      [
        [
          1,
          'message',
          [
            [3, 'fixed64', t0 + 5n],
            [6, 'sfixed64', -12n],
            [
              5,
              'message',
              [
                [2, 'fixed64', t0 + 4n],
                [3, 'double', 99.5],
                [4, 'bytes', Buffer.alloc(8, 7)],
                [5, 'bytes', Buffer.alloc(16, 9)],
              ],
            ],
          ],
        ],
      ],
    ],
  ];
  return encodeMessage([
    [
      1,
      'message',
      [
        [1, 'message', [[1, 'message', keyValue('service.name', [[1, 'string', 'hand']])]]],
        [
          2,
          'message',
          [
            [1, 'message', [[1, 'string', 'hand-lib']]],
            [2, 'message', summary],
            [2, 'message', gauge],
          ],
        ],
      ],
    ],
  ]);
}

function handMadeJson(): unknown {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hand' } }] },
        scopeMetrics: [
          {
            scope: { name: 'hand-lib' },
            metrics: [
              {
                name: 'settle_ms',
                unit: 'ms',
                summary: {
                  dataPoints: [
                    {
                      timeUnixNano: '1765000000000001000',
                      count: '10',
                      sum: 55.5,
                      quantileValues: [
                        { quantile: 0.5, value: 4 },
                        { quantile: 0.99, value: 12 },
                      ],
                      attributes: [
                        { key: 'raw', value: { bytesValue: 'AAEC/w==' } },
                        {
                          key: 'n',
                          value: { kvlistValue: { values: [{ key: 'i', value: { intValue: '-5' } }] } },
                        },
                      ],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
}
