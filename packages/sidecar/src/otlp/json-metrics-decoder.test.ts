import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainAttributes, plainRequest } from '../../test/helpers/otel-arbitraries.ts';
import { expectedFromRequest, toOtlpJson } from '../../test/helpers/otel-expected.ts';
import { batchPoints } from '../../test/helpers/otel-points.ts';
import { MalformedBodyError } from '../plugin-api/errors.ts';
import { decodeJsonMetrics } from './json-metrics-decoder.ts';

function request(metric: Record<string, unknown>, resource: Record<string, unknown> = {}): string {
  return JSON.stringify({
    resourceMetrics: [{ resource, scopeMetrics: [{ scope: { name: 's' }, metrics: [metric] }] }],
  });
}

const points = (text: string) => batchPoints(decodeJsonMetrics(text).batch);

/**
 * Random requests whose points draw their attribute lists from a small pool, in a random order, so lists repeat,
 * change order and include a list that is another one less its last entry (the decoder's list cache guesses the
 * next list from the order it saw before and must notice every wrong guess).
 */
const pooledAttributesRequest = fc
  .tuple(
    plainRequest,
    fc.array(plainAttributes, { minLength: 1, maxLength: 3 }),
    fc.array(fc.nat(), { minLength: 1 }),
  )
  .map(([generated, lists, picks]) => {
    const req = structuredClone(generated);
    const pool = [...lists, lists[0]!.slice(0, -1)];
    let n = 0;
    for (const rm of req.resourceMetrics)
      for (const sm of rm.scopeMetrics)
        for (const metric of sm.metrics)
          for (const data of Object.values(metric)) {
            const dataPoints = (data as { dataPoints?: { attributes: unknown }[] })?.dataPoints ?? [];
            for (const point of dataPoints) point.attributes = pool[picks[n++ % picks.length]! % pool.length];
          }
    return req;
  });

describe('decodeJsonMetrics', () => {
  /** Checks that random requests, written as OTLP JSON (members shuffled when `shuffle`), decode exactly. */
  const decodesExactly = (requests: typeof plainRequest, numRuns: number, shuffle = false) =>
    fc.assert(
      fc.property(requests, fc.nat(), (req, seed) => {
        const decoded = decodeJsonMetrics(toOtlpJson(req, shuffle ? seed : undefined));
        expect(decoded.rejected).toBe(0);
        expect(batchPoints(decoded.batch)).toEqual(expectedFromRequest(req));
      }),
      { numRuns },
    );

  it('decodes every field of random requests in the OTLP JSON encoding', () => {
    decodesExactly(plainRequest, 300);
  });

  it('decodes random requests whose points repeat attribute lists in changing orders', () => {
    decodesExactly(pooledAttributesRequest, 300);
  });

  it('decodes random requests whose object members come in any order', () => {
    decodesExactly(plainRequest, 200, true);
  });

  it('accepts 64-bit integers as strings or numbers, keeping every digit of bare big numbers', () => {
    const text =
      '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"n","gauge":{"dataPoints":[' +
      '{"timeUnixNano":1544712660300000001,"asInt":9007199254740993,' +
      '"attributes":[{"key":"big","value":{"intValue":-9223372036854775808}},{"key":"s","value":{"intValue":"12"}}]},' +
      '{"timeUnixNano":"2","asInt":"-5"}]}}]}]}]}';
    const [a, b] = points(text);
    expect(a!.time).toBe(1544712660300000001n);
    expect(a!.data.valueInt).toBe(9007199254740993n);
    expect(a!.attributes).toEqual({ big: -9223372036854775808n, s: 12n });
    expect(b!.data.valueInt).toBe(-5n);
  });

  it('reads enums as numbers or names, non-finite doubles as strings, and ignores unknown and snake_case fields', () => {
    const [p] = points(
      request({
        name: 'c',
        extra: { nested: true },
        sum: {
          aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
          is_monotonic: true,
          isMonotonic: true,
          dataPoints: [{ timeUnixNano: '9', asDouble: 'NaN', time_unix_nano: '1', unknown: [1, 2] }],
        },
      }),
    );
    expect(p).toMatchObject({
      kind: 'sum',
      time: 9n,
      data: { temporality: 1, isMonotonic: true, value: Number.NaN },
    });
    const [inf] = points(
      request({ name: 'g', gauge: { dataPoints: [{ timeUnixNano: '1', asDouble: '-Infinity' }] } }),
    );
    expect(inf!.data.value).toBe(Number.NEGATIVE_INFINITY);
  });

  it('reads hex trace ids (any case) and base64 bytes', () => {
    const [p] = points(
      request({
        name: 'h',
        gauge: {
          dataPoints: [
            {
              timeUnixNano: '1',
              asDouble: 1,
              attributes: [{ key: 'b', value: { bytesValue: 'AQID' } }],
              exemplars: [
                {
                  timeUnixNano: '7',
                  asInt: '3',
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'eee19b7ec3c1b174',
                },
              ],
            },
          ],
        },
      }),
    );
    expect(p!.attributes).toEqual({ b: new Uint8Array([1, 2, 3]) });
    expect(p!.exemplars).toEqual([
      {
        timeUnixNano: 7n,
        value: 3n,
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        filteredAttributes: {},
      },
    ]);
  });

  it('rejects only the points with bad values and reports why', () => {
    const decoded = decodeJsonMetrics(
      request({
        name: 'bad',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [
            { timeUnixNano: 'soon', count: '1' },
            { timeUnixNano: '1', count: '18446744073709551615' },
            { timeUnixNano: '1', count: '1', exemplars: [{ traceId: 'xyz' }] },
            { timeUnixNano: '1', count: '2', bucketCounts: ['1', '1'], explicitBounds: [0.5] },
          ],
        },
      }),
    );
    expect(decoded.rejected).toBe(3);
    expect(decoded.rejectReason).toMatch(/timeUnixNano must be unix nanoseconds/);
    expect(batchPoints(decoded.batch).map((p) => p.data.count)).toEqual([2]);
  });

  it('rejects every point of a metric without a name, wherever the name member is', () => {
    const dataPoints = [
      { timeUnixNano: '1', asDouble: 1 },
      { timeUnixNano: '2', asDouble: 2 },
    ];
    const text = JSON.stringify({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { name: '', gauge: { dataPoints } },
                { sum: { aggregationTemporality: 2, dataPoints } },
                { name: 'named', gauge: { dataPoints } },
                { exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: '1' }] } },
              ],
            },
          ],
        },
      ],
    });
    // The same request with every metric's name after its data: the decoder reads it again, looking ahead.
    const late = text.replace(/"name":("[^"]*"),("gauge":\{"dataPoints":\[[^\]]*\]\})/g, '$2,"name":$1');
    expect(late).not.toBe(text);
    for (const body of [text, late]) {
      const decoded = decodeJsonMetrics(body);
      expect(decoded.rejected, body).toBe(5);
      expect(decoded.rejectReason).toBe('metric name is empty (metric ""); 5 data points rejected in all');
      expect(batchPoints(decoded.batch).map((p) => [p.name, p.data.value])).toEqual([
        ['named', 1],
        ['named', 2],
      ]);
    }
  });

  it('treats an empty object as an empty request and refuses what is not a request', () => {
    expect(decodeJsonMetrics('{}').batch.size).toBe(0);
    expect(decodeJsonMetrics('{"resourceMetrics":null}').batch.size).toBe(0);
    for (const bad of [
      '',
      'nul',
      '[]',
      '"x"',
      '42',
      'null',
      '{"resourceMetrics":{}}',
      '{"resourceMetrics":[{"scopeMetrics":7}]}',
    ]) {
      expect(() => decodeJsonMetrics(bad), bad).toThrow(MalformedBodyError);
    }
  });

  it('refuses over-deep attribute values as malformed, like the protobuf decoder', () => {
    let value: Record<string, unknown> = { stringValue: 'leaf' };
    for (let i = 0; i < 40; i++) value = { kvlistValue: { values: [{ key: 'k', value }] } };
    const text = request({
      name: 'd',
      gauge: { dataPoints: [{ timeUnixNano: '1', asDouble: 1, attributes: [{ key: 'deep', value }] }] },
    });
    expect(() => decodeJsonMetrics(text)).toThrow(/nested deeper/);
  });
});
