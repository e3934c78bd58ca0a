import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStoredPoints, type StoredPoint, sortPoints } from './helpers/otel-points.ts';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';

const FIXTURES = '/work/shared/fixtures/otlp';
const T = 1544712660300000000n;

/** The values `metrics.protobuf-text` and `metrics.json` state, as the tables must hold them. */
const shared = {
  unit: '1',
  service: 'my.service',
  symbol: null,
  resource: { attributes: { 'service.name': 'my.service' }, droppedAttributesCount: 0, schemaUrl: '' },
  scope: {
    name: 'my.library',
    version: '1.0.0',
    attributes: { 'my.scope.attribute': 'some scope attribute' },
    droppedAttributesCount: 0,
    schemaUrl: '',
  },
  exemplars: [],
  flags: 0,
  time: T,
};
const COUNTER: StoredPoint = {
  ...shared,
  kind: 'sum',
  name: 'my.counter',
  description: 'I am a Counter',
  attributes: { 'my.counter.attr': 'some value' },
  start: T,
  data: { temporality: 1, isMonotonic: true, value: 5, valueInt: null },
};
const GAUGE: StoredPoint = {
  ...shared,
  kind: 'gauge',
  name: 'my.gauge',
  description: 'I am a Gauge',
  attributes: { 'my.gauge.attr': 'some value' },
  start: null,
  data: { temporality: 0, isMonotonic: null, value: 10, valueInt: null },
};
const HISTOGRAM: StoredPoint = {
  ...shared,
  kind: 'histogram',
  name: 'my.histogram',
  description: 'I am a Histogram',
  attributes: { 'my.histogram.attr': 'some value' },
  start: T,
  data: { temporality: 1, count: 2, sum: 2, min: 0, max: 2, bucketCounts: [1, 1], explicitBounds: [1] },
};
const EXP_HISTOGRAM: StoredPoint = {
  ...shared,
  kind: 'exponentialHistogram',
  name: 'my.exponential.histogram',
  description: 'I am an Exponential Histogram',
  attributes: { 'my.exponential.histogram.attr': 'some value' },
  start: T,
  data: {
    temporality: 1,
    count: 3,
    sum: 10,
    min: 0,
    max: 5,
    scale: 0,
    zeroCount: 1,
    zeroThreshold: 0,
    positiveOffset: 1,
    positiveBucketCounts: [0, 2],
    negativeOffset: 0,
    negativeBucketCounts: [],
  },
};

describe('OTLP example payloads (opentelemetry-proto examples/)', () => {
  let server: OtlpTestServer;
  beforeEach(async () => {
    server = await startOtlpServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('stores metrics.protobuf-bin with exactly the values of metrics.protobuf-text', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: readFileSync(`${FIXTURES}/metrics.protobuf-bin`),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(await readStoredPoints(server.db)).toEqual(sortPoints([COUNTER, GAUGE, HISTOGRAM]));
  });

  it('stores metrics.json with exactly the values it states', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readFileSync(`${FIXTURES}/metrics.json`),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(await readStoredPoints(server.db)).toEqual(sortPoints([COUNTER, GAUGE, HISTOGRAM, EXP_HISTOGRAM]));
    expect(server.counter('duckside_otlp_points_ingested_total', { signal: 'metrics' })).toBe(4);
  });
});
