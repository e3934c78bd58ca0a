import { batchRows } from '@duckside/core/ingest';
import { encodeRequest } from '@duckside/testkit/otlp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainRequest } from '../../test/helpers/otel-arbitraries.ts';
import { expectedFromRequest } from '../../test/helpers/otel-expected.ts';
import { batchPoints } from '../../test/helpers/otel-points.ts';
import { MalformedBodyError } from '../plugin-api/errors.ts';
import { decodeProtobufMetrics } from './protobuf-metrics-decoder.ts';

const resource = (attributes: unknown[] = []) => ({
  resource: { attributes },
  scopeMetrics: [] as unknown[],
});
const sv = (stringValue: string) => ({ stringValue });

function oneMetric(metric: Record<string, unknown>) {
  return {
    resourceMetrics: [
      {
        ...resource([{ key: 'service.name', value: sv('oms') }]),
        scopeMetrics: [{ scope: { name: 's' }, metrics: [metric] }],
      },
    ],
  };
}

describe('decodeProtobufMetrics', () => {
  it('decodes every field of random requests exactly as an independent encoder wrote them', () => {
    fc.assert(
      fc.property(plainRequest, (request) => {
        const decoded = decodeProtobufMetrics(encodeRequest(request));
        expect(decoded.rejected).toBe(0);
        expect(batchPoints(decoded.batch)).toEqual(expectedFromRequest(request));
      }),
      { numRuns: 300 },
    );
  });

  it('promotes service.name and a string symbol attribute, and keeps them in the JSON too', () => {
    const { batch } = decodeProtobufMetrics(
      encodeRequest(
        oneMetric({
          name: 'fills',
          gauge: {
            dataPoints: [
              { timeUnixNano: '5', asInt: '7', attributes: [{ key: 'symbol', value: sv('ETH/USD') }] },
              { timeUnixNano: '6', asInt: '8', attributes: [{ key: 'symbol', value: { intValue: '3' } }] },
            ],
          },
        }),
      ),
    );
    const [first, second] = batchPoints(batch);
    expect(first).toMatchObject({ service: 'oms', symbol: 'ETH/USD', attributes: { symbol: 'ETH/USD' } });
    expect(second).toMatchObject({ symbol: null, attributes: { symbol: 3n } });
  });

  it('reads int64 extremes and negative varints exactly', () => {
    const { batch } = decodeProtobufMetrics(
      encodeRequest(
        oneMetric({
          name: 'x',
          gauge: {
            dataPoints: [
              {
                timeUnixNano: '1',
                asInt: '-9223372036854775808',
                attributes: [
                  { key: 'min', value: { intValue: '-9223372036854775808' } },
                  { key: 'max', value: { intValue: '9223372036854775807' } },
                  { key: 'neg', value: { intValue: '-1' } },
                ],
              },
            ],
          },
        }),
      ),
    );
    const [p] = batchPoints(batch);
    expect(p!.data.valueInt).toBe(-9223372036854775808n);
    expect(p!.attributes).toEqual({ min: -9223372036854775808n, max: 9223372036854775807n, neg: -1n });
  });

  it('rejects points it cannot store and keeps the others', () => {
    const { batch, rejected, rejectReason } = decodeProtobufMetrics(
      encodeRequest(
        oneMetric({
          name: 'latency',
          histogram: {
            aggregationTemporality: 2,
            dataPoints: [
              { timeUnixNano: '10', count: '9007199254740992', bucketCounts: ['1'] },
              { timeUnixNano: '10', count: '1', bucketCounts: ['18446744073709551615'] },
              { timeUnixNano: '0', count: '1' },
              { timeUnixNano: '18446744073709551615', count: '1' },
              { timeUnixNano: '11', count: '9007199254740991', bucketCounts: ['9007199254740991'] },
            ],
          },
        }),
      ),
    );
    expect(rejected).toBe(4);
    expect(rejectReason).toContain('count beyond 2^53');
    expect(rejectReason).toContain('"latency"');
    expect(batchPoints(batch).map((p) => p.data.count)).toEqual([9007199254740991]);
  });

  it('rejects number points without a value and metrics with an unknown temporality', () => {
    const result = decodeProtobufMetrics(
      encodeRequest({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'a',
                    gauge: { dataPoints: [{ timeUnixNano: '1' }, { timeUnixNano: '2', asDouble: 0 }] },
                  },
                  {
                    name: 'b',
                    sum: { aggregationTemporality: 7, dataPoints: [{ timeUnixNano: '1', asDouble: 1 }] },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(result.rejected).toBe(2);
    expect(result.rejectReason).toMatch(/without a value/);
    expect(batchPoints(result.batch).map((p) => [p.name, p.data.value])).toEqual([['a', 0]]);
  });

  it('rejects every point of a metric without a name, of any kind, and keeps the named ones', () => {
    const gauge = {
      dataPoints: [
        { timeUnixNano: '1', asDouble: 1 },
        { timeUnixNano: '2', asDouble: 2 },
      ],
    };
    const result = decodeProtobufMetrics(
      encodeRequest({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  { name: '', gauge },
                  { name: 'named', gauge },
                  {
                    histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: '1', count: '1' }] },
                  },
                  { description: 'no name', summary: { dataPoints: [{ timeUnixNano: '1', count: '1' }] } },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(result.rejected).toBe(4);
    expect(result.rejectReason).toBe('metric name is empty (metric ""); 4 data points rejected in all');
    expect(batchPoints(result.batch).map((p) => [p.name, p.data.value])).toEqual([
      ['named', 1],
      ['named', 2],
    ]);
  });

  it('accepts an empty request and skips unknown fields, groups included', () => {
    expect(decodeProtobufMetrics(new Uint8Array(0)).batch.size).toBe(0);
    const known = encodeRequest(
      oneMetric({ name: 'g', gauge: { dataPoints: [{ timeUnixNano: '3', asDouble: 1.5 }] } }),
    );
    // Field 99 as varint, fixed32, fixed64, length-delimited and a group, before the known field.
    const unknown = Uint8Array.from([
      0x98, 0x06, 0x05, 0x9d, 0x06, 1, 2, 3, 4, 0x99, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0x9a, 0x06, 2, 9, 9, 0x9b,
      0x06, 0x08, 0x01, 0x9c, 0x06,
    ]);
    const decoded = decodeProtobufMetrics(Buffer.concat([unknown, known]));
    expect(batchPoints(decoded.batch)).toEqual(batchPoints(decodeProtobufMetrics(known).batch));
  });

  it('accepts unpacked repeated counts and bounds as well as packed ones', () => {
    // HistogramDataPoint with time=1, bucket_counts 2 and 3 unpacked (field 6, fixed64), bound 1.5 unpacked (field 7).
    const point = Buffer.concat([
      Buffer.from([0x19, 1, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0x31, 2, 0, 0, 0, 0, 0, 0, 0, 0x31, 3, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.concat([Buffer.from([0x39]), f64(1.5)]),
    ]);
    const histogram = Buffer.concat([Buffer.from([0x0a, point.length]), point, Buffer.from([0x10, 1])]);
    const metric = Buffer.concat([Buffer.from([0x0a, 1, 0x68, 0x4a, histogram.length]), histogram]);
    const sm = Buffer.concat([Buffer.from([0x12, metric.length]), metric]);
    const rm = Buffer.concat([Buffer.from([0x12, sm.length]), sm]);
    const request = Buffer.concat([Buffer.from([0x0a, rm.length]), rm]);
    const [p] = batchPoints(decodeProtobufMetrics(request).batch);
    expect(p!.data).toMatchObject({ temporality: 1, bucketCounts: [2, 3], explicitBounds: [1.5] });
  });

  it('refuses truncated, overlong and corrupt messages with a MalformedBodyError', () => {
    const good = encodeRequest(
      oneMetric({ name: 'g', gauge: { dataPoints: [{ timeUnixNano: '3', asDouble: 1.5 }] } }),
    );
    for (let cut = 1; cut < good.length; cut++) {
      expect(() => decodeProtobufMetrics(good.subarray(0, cut))).toThrow(MalformedBodyError);
    }
    const bad = [
      [0x0a, 0x05, 0x01],
      [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
      [0x0f],
      [0x00, 0x01],
      [0x0c],
      [0x0b, 0x14],
    ];
    for (const bytes of bad)
      expect(() => decodeProtobufMetrics(Uint8Array.from(bytes))).toThrow(MalformedBodyError);
  });

  it('refuses groups nested past 64 levels without overflowing the stack', () => {
    const deep = Buffer.concat([Buffer.alloc(100_000, 0x0b), Buffer.alloc(100_000, 0x0c)]);
    expect(() => decodeProtobufMetrics(deep)).toThrow(/groups nested deeper/);
    const ok = Buffer.concat([
      Buffer.alloc(60, 0x9b).map((_, i) => (i % 2 ? 0x06 : 0x9b)),
      Buffer.alloc(60).map((_, i) => (i % 2 ? 0x06 : 0x9c)),
    ]);
    expect(decodeProtobufMetrics(ok).batch.size).toBe(0);
  });

  it('refuses invalid UTF-8 in strings and over-deep nesting', () => {
    const invalid = encodeRequest(oneMetric({ name: 'AB', gauge: { dataPoints: [] } }));
    const at = Buffer.from(invalid).indexOf('AB');
    const corrupt = Uint8Array.from(invalid);
    corrupt[at] = 0xc3;
    corrupt[at + 1] = 0x28;
    expect(() => decodeProtobufMetrics(corrupt)).toThrow(/UTF-8/);
    let value: Record<string, unknown> = sv('leaf');
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const deep = oneMetric({
      name: 'd',
      gauge: { dataPoints: [{ timeUnixNano: '1', asDouble: 1, attributes: [{ key: 'k', value }] }] },
    });
    expect(() => decodeProtobufMetrics(encodeRequest(deep))).toThrow(/nested deeper/);
  });

  it('decodes multi-byte UTF-8 and decodes each repeated attribute set once per request', () => {
    const attributes = [
      { key: 'ключ', value: sv('値 🚀') },
      { key: 'symbol', value: sv('BTC/USD') },
    ];
    const dataPoints = Array.from({ length: 3 }, (_, i) => ({
      timeUnixNano: String(i + 1),
      asDouble: i,
      attributes,
    }));
    const { batch } = decodeProtobufMetrics(encodeRequest(oneMetric({ name: 'm', gauge: { dataPoints } })));
    const rows = batchRows(batch).trading_metrics!;
    expect(rows.map((r) => [r.attributes, r.symbol])).toEqual(
      Array(3).fill(['{"ключ":"値 🚀","symbol":"BTC/USD"}', 'BTC/USD']),
    );
    // One attribute set, so one series for the three points.
    expect(batch.series.length).toBe(1);
  });
});

function f64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return b;
}
