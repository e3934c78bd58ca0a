import { encodeMessage, lengthHeader, nest, type ProtoField, varint } from './proto-writer.ts';

/** A hand-made abusive body and the content type it claims. */
export interface HostileBody {
  name: string;
  body: Buffer;
  contentType: string;
}

const PROTO = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/**
 * Abusive OTLP bodies aimed at decoders: deep attribute nesting (recursion), lengths beyond the body, huge
 * repeated fields, extreme numbers, invalid UTF-8, deprecated wire types, non-object JSON.
 * @example for (const h of hostileBodies()) await post(h.body, h.contentType);
 */
export function hostileBodies(): HostileBody[] {
  return [
    { name: 'proto-empty', body: Buffer.alloc(0), contentType: PROTO },
    { name: 'proto-deep-kvlist', body: deepKvlistProto(50_000), contentType: PROTO },
    { name: 'proto-deep-array', body: deepArrayProto(50_000), contentType: PROTO },
    {
      name: 'proto-length-beyond-body',
      body: Buffer.concat([Buffer.from([0x0a]), varint(0xffff_ffffn), Buffer.alloc(16)]),
      contentType: PROTO,
    },
    {
      name: 'proto-overlong-varint',
      body: Buffer.from([0x08, ...Array(11).fill(0xff), 0x01]),
      contentType: PROTO,
    },
    { name: 'proto-group-wire-type', body: Buffer.from([0x0b, 0x08, 0x01, 0x0c]), contentType: PROTO },
    { name: 'proto-field-zero', body: Buffer.from([0x00, 0x01]), contentType: PROTO },
    {
      name: 'proto-many-empty-resources',
      body: Buffer.alloc(400_000, Buffer.from([0x0a, 0x00])),
      contentType: PROTO,
    },
    { name: 'proto-100k-points', body: manyPoints(100_000), contentType: PROTO },
    { name: 'proto-huge-bucket-array', body: hugeHistogram(400_000), contentType: PROTO },
    { name: 'proto-extreme-exp-histogram', body: extremeExpHistogram(), contentType: PROTO },
    {
      name: 'proto-invalid-utf8-name',
      body: gauge([[1, 'bytes', Buffer.from([0xc3, 0x28, 0xff, 0xfe])]]),
      contentType: PROTO,
    },
    { name: 'proto-as-json', body: manyPoints(3), contentType: JSON_TYPE },
    { name: 'json-deep-kvlist', body: Buffer.from(deepKvlistJson(50_000)), contentType: JSON_TYPE },
    {
      name: 'json-deep-array',
      body: Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      contentType: JSON_TYPE,
    },
    { name: 'json-null', body: Buffer.from('null'), contentType: JSON_TYPE },
    { name: 'json-array', body: Buffer.from('[]'), contentType: JSON_TYPE },
    { name: 'json-string', body: Buffer.from('"resourceMetrics"'), contentType: JSON_TYPE },
    { name: 'json-empty-object', body: Buffer.from('{}'), contentType: JSON_TYPE },
    {
      name: 'json-proto-key',
      body: Buffer.from('{"__proto__":{"resourceMetrics":1},"resourceMetrics":[{"__proto__":[]}]}'),
      contentType: JSON_TYPE,
    },
    {
      name: 'json-u64-overflow',
      body: Buffer.from(jsonGauge('"99999999999999999999999"', '1e400')),
      contentType: JSON_TYPE,
    },
    { name: 'json-negative-time', body: Buffer.from(jsonGauge('"-5"', '-1e308')), contentType: JSON_TYPE },
    {
      name: 'json-invalid-utf8',
      body: Buffer.concat([
        Buffer.from('{"resourceMetrics":[{"x":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}]}'),
      ]),
      contentType: JSON_TYPE,
    },
    { name: 'json-as-proto', body: Buffer.from(jsonGauge('"1"', '1')), contentType: PROTO },
  ];
}

function gauge(nameField: ProtoField[]): Buffer {
  return encodeMessage([
    [
      1,
      'message',
      [
        [
          2,
          'message',
          [
            [
              2,
              'message',
              [
                ...nameField,
                [
                  5,
                  'message',
                  [
                    [
                      1,
                      'message',
                      [
                        [3, 'fixed64', 1n],
                        [4, 'double', 1],
                      ],
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    ],
  ]);
}

function wrapPointAttribute(anyValue: Buffer): Buffer {
  const keyValue = encodeMessage([
    [1, 'string', 'deep'],
    [2, 'message', anyValue],
  ]);
  return gauge([
    [1, 'string', 'deep_metric'],
    [
      5,
      'message',
      [
        [
          1,
          'message',
          [
            [7, 'message', keyValue],
            [3, 'fixed64', 1n],
            [4, 'double', 1],
          ],
        ],
      ],
    ],
  ]);
}

/** AnyValue{kvlist{values[KeyValue{key, value: AnyValue{kvlist ...}}]}} `depth` times. */
function deepKvlistProto(depth: number): Buffer {
  const key = encodeMessage([[1, 'string', 'k']]);
  const leaf = encodeMessage([[1, 'string', 'leaf']]);
  const deep = nest(leaf, depth, (n) => {
    const valueHeader = lengthHeader(2, n);
    const kvLength = key.length + valueHeader.length + n;
    const kvHeader = lengthHeader(1, kvLength);
    return Buffer.concat([lengthHeader(6, kvHeader.length + kvLength), kvHeader, key, valueHeader]);
  });
  return wrapPointAttribute(deep);
}

/** AnyValue{array{values[AnyValue{array ...}]}} `depth` times. */
function deepArrayProto(depth: number): Buffer {
  const leaf = encodeMessage([[2, 'varint', 1]]);
  const deep = nest(leaf, depth, (n) => {
    const inner = lengthHeader(1, n);
    return Buffer.concat([lengthHeader(5, inner.length + n), inner]);
  });
  return wrapPointAttribute(deep);
}

function manyPoints(n: number): Buffer {
  const point = encodeMessage([
    [3, 'fixed64', 1_765_000_000_000_000_000n],
    [4, 'double', 1.5],
  ]);
  const points = Buffer.concat(Array.from({ length: n }, () => encodeMessage([[1, 'message', point]])));
  return encodeMessage([
    [
      1,
      'message',
      [
        [
          2,
          'message',
          [
            [
              2,
              'message',
              [
                [1, 'string', 'many_points'],
                [5, 'message', points],
              ],
            ],
          ],
        ],
      ],
    ],
  ]);
}

function hugeHistogram(buckets: number): Buffer {
  const counts = Array.from({ length: buckets }, () => 1n);
  const bounds = Array.from({ length: 3 }, (_, i) => i);
  return encodeMessage([
    [
      1,
      'message',
      [
        [
          2,
          'message',
          [
            [
              2,
              'message',
              [
                [1, 'string', 'huge_hist'],
                [
                  9,
                  'message',
                  [
                    [
                      1,
                      'message',
                      [
                        [3, 'fixed64', 1n],
                        [4, 'fixed64', 2n ** 64n - 1n],
                        [6, 'packed-fixed64', counts],
                        [7, 'packed-double', bounds],
                      ],
                    ],
                    [2, 'varint', 99],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    ],
  ]);
}

function extremeExpHistogram(): Buffer {
  const buckets = (offset: bigint): ProtoField[] => [
    [1, 'varint', offset],
    [2, 'message', Buffer.concat([varint(2n ** 64n - 1n), varint(0)])],
  ];
  return encodeMessage([
    [
      1,
      'message',
      [
        [
          2,
          'message',
          [
            [
              2,
              'message',
              [
                [1, 'string', 'extreme_exp'],
                [
                  10,
                  'message',
                  [
                    [
                      1,
                      'message',
                      [
                        [3, 'fixed64', 1n],
                        [4, 'fixed64', 2n ** 64n - 1n],
                        [6, 'varint', 2n ** 64n - 1n],
                        [7, 'fixed64', 2n ** 63n],
                        [8, 'message', buckets(2n ** 32n - 1n)],
                        [9, 'message', buckets(2n ** 31n)],
                        [14, 'double', Number.NaN],
                      ],
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    ],
  ]);
}

function deepKvlistJson(depth: number): string {
  const open = '{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth);
  const close = '}]}}'.repeat(depth);
  return `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"deep","gauge":{"dataPoints":[{"timeUnixNano":"1","asDouble":1,"attributes":[{"key":"d","value":${open}{"stringValue":"leaf"}${close}}]}]}}]}]}]}`;
}

function jsonGauge(time: string, value: string): string {
  return `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":${time},"asDouble":${value}}]}}]}]}]}`;
}
