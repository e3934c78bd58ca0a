import { deflateSync, gzipSync } from 'node:zlib';
import { compiled } from '@duckside/core';
import { encodeRequest, gaugeRequest, otlpProto } from '@duckside/testkit/otlp';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { readStoredPoints } from './helpers/otel-points.ts';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

async function post(
  server: OtlpTestServer,
  body: RequestInit['body'],
  headers: Record<string, string>,
  method = 'POST',
) {
  const res = await fetch(server.url, { method, headers, body, duplex: 'half' } as RequestInit);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: Buffer.from(bytes).toString('utf8') };
}

/** A reader the test collects from by hand. */
class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const protoStatus = (bytes: Uint8Array) => otlpProto.status.toObject(otlpProto.status.decode(bytes));
const count = async (server: OtlpTestServer) =>
  (await server.db.all(compiled<{ n: number }>('SELECT count(*)::INTEGER AS n FROM trading_metrics', [])))[0]!
    .n;

describe('POST /v1/metrics status contract', () => {
  let server: OtlpTestServer;
  afterEach(async () => {
    await server?.close();
  });

  it('answers 405 with Allow: POST to other methods', async () => {
    server = await startOtlpServer();
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await post(server, method === 'GET' ? null : '{}', JSON_TYPE, method);
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(JSON.parse(res.text)).toEqual({ code: 12, message: 'use POST for /v1/metrics' });
    }
  });

  it('answers 415 to other content types and content encodings', async () => {
    server = await startOtlpServer();
    const body = encodeRequest(gaugeRequest(1));
    for (const headers of [
      { 'content-type': 'text/plain' },
      {},
      { 'content-type': 'application/xml' },
    ] as Record<string, string>[]) {
      const res = await post(server, body, headers);
      expect(res.status).toBe(415);
      expect(JSON.parse(res.text).message).toMatch(/not supported/);
    }
    const br = await post(server, body, { ...PROTO, 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    expect(protoStatus(br.bytes).message).toMatch(/content encoding br/);
    expect(await count(server)).toBe(0);
  });

  it('accepts application/protobuf and JSON with a charset, answering in the same media type', async () => {
    server = await startOtlpServer();
    const a = await post(server, encodeRequest(gaugeRequest(1)), { 'content-type': 'application/protobuf' });
    expect([a.status, a.headers.get('content-type')]).toEqual([200, 'application/protobuf']);
    const b = await post(server, JSON.stringify(gaugeRequest(2)), {
      'content-type': 'Application/JSON; charset=utf-8',
    });
    expect([b.status, b.headers.get('content-type'), b.text]).toEqual([200, 'application/json', '{}']);
    expect(await count(server)).toBe(3);
  });

  it('answers 400 with a google.rpc.Status in the request encoding to malformed bodies, storing nothing', async () => {
    server = await startOtlpServer();
    const good = encodeRequest(gaugeRequest(3));
    const proto = await post(server, good.subarray(0, good.length - 2), PROTO);
    expect(proto.status).toBe(400);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    expect(protoStatus(proto.bytes)).toMatchObject({
      code: 3,
      message: expect.stringMatching(/truncated|overruns|past/),
    });
    const json = await post(server, '{"resourceMetrics": [', JSON_TYPE);
    expect(json.status).toBe(400);
    expect(JSON.parse(json.text)).toEqual({
      code: 3,
      message: expect.stringMatching(/^invalid JSON: expected/),
    });
    expect((await post(server, '', JSON_TYPE)).status).toBe(400);
    expect(await count(server)).toBe(0);
  });

  it('answers 200 to empty requests in both encodings (an empty protobuf body is an empty request)', async () => {
    server = await startOtlpServer();
    const empty = await post(server, new Uint8Array(0), PROTO);
    expect([empty.status, empty.bytes.length]).toEqual([200, 0]);
    expect((await post(server, encodeRequest({ resourceMetrics: [] }), PROTO)).status).toBe(200);
    const json = await post(server, '{}', JSON_TYPE);
    expect([json.status, json.text]).toEqual([200, '{}']);
    expect(
      (
        await post(server, gzipSync(Buffer.from('{"resourceMetrics":[]}')), {
          ...JSON_TYPE,
          'content-encoding': 'gzip',
        })
      ).status,
    ).toBe(200);
  });

  it('accepts gzip and deflate bodies and answers 400 to a truncated gzip body', async () => {
    server = await startOtlpServer();
    const body = encodeRequest(gaugeRequest(5));
    expect((await post(server, gzipSync(body), { ...PROTO, 'content-encoding': 'gzip' })).status).toBe(200);
    expect((await post(server, deflateSync(body), { ...PROTO, 'content-encoding': 'deflate' })).status).toBe(
      200,
    );
    const gz = gzipSync(body);
    const truncated = await post(server, gz.subarray(0, gz.length - 8), {
      ...PROTO,
      'content-encoding': 'gzip',
    });
    expect(truncated.status).toBe(400);
    expect(protoStatus(truncated.bytes).message).toMatch(/could not be decompressed/);
    expect(await count(server)).toBe(10);
  });

  it('answers 200 with partial_success for points it cannot store, storing the rest', async () => {
    server = await startOtlpServer();
    const request = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'ok',
                  gauge: {
                    dataPoints: [
                      { timeUnixNano: '1', asInt: '1' },
                      { timeUnixNano: '2', asInt: '2' },
                    ],
                  },
                },
                {
                  name: 'too_big',
                  histogram: {
                    aggregationTemporality: 1,
                    dataPoints: [{ timeUnixNano: '1', count: '18446744073709551615' }],
                  },
                },
                { name: 'no_time', sum: { aggregationTemporality: 2, dataPoints: [{ asDouble: 1 }] } },
              ],
            },
          ],
        },
      ],
    };
    const proto = await post(server, encodeRequest(request), PROTO);
    expect(proto.status).toBe(200);
    const response = ProtobufMetricsSerializer.deserializeResponse(proto.bytes);
    expect(response.partialSuccess?.rejectedDataPoints).toBe(2);
    expect(response.partialSuccess?.errorMessage).toMatch(
      /count beyond 2\^53 \(metric "too_big"\); 2 data points rejected/,
    );
    const json = await post(server, JSON.stringify(request), JSON_TYPE);
    expect(JSON.parse(json.text)).toEqual({
      partialSuccess: { rejectedDataPoints: '2', errorMessage: expect.stringContaining('too_big') },
    });
    expect(await count(server)).toBe(4);
    expect(server.counter('duckside_otlp_points_rejected_total', { signal: 'metrics' })).toBe(4);
    expect(server.counter('duckside_otlp_points_ingested_total', { signal: 'metrics' })).toBe(4);
    expect(server.counter('duckside_otlp_requests_total', { signal: 'metrics', status: '200' })).toBe(2);
  });

  it('rejects the points of an SDK metric with an empty name through partial_success (protobuf and JSON)', async () => {
    server = await startOtlpServer();
    const reader = new ManualReader();
    const provider = new MeterProvider({ readers: [reader] });
    const meter = provider.getMeter('oms');
    // The SDK only warns about an invalid instrument name and exports the metric with it.
    const unnamed = meter.createCounter('');
    const orders = meter.createCounter('orders_total');
    for (const symbol of ['BTC/USD', 'ETH/USD', 'SOL/USD']) unnamed.add(1, { symbol });
    orders.add(2, { symbol: 'BTC/USD' });
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    await provider.shutdown();
    const message = 'metric name is empty (metric ""); 3 data points rejected in all';

    const proto = await post(server, ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!, PROTO);
    expect(proto.status).toBe(200);
    expect(ProtobufMetricsSerializer.deserializeResponse(proto.bytes).partialSuccess).toEqual({
      rejectedDataPoints: 3,
      errorMessage: message,
    });
    const json = await post(server, JsonMetricsSerializer.serializeRequest(resourceMetrics)!, JSON_TYPE);
    expect(json.status).toBe(200);
    expect(JsonMetricsSerializer.deserializeResponse(json.bytes).partialSuccess).toEqual({
      rejectedDataPoints: '3',
      errorMessage: message,
    });
    const stored = await server.db.all(
      compiled<{ name: string; value: number }>('SELECT name, value FROM trading_metrics ORDER BY name', []),
    );
    expect(stored).toEqual([
      { name: 'orders_total', value: 2 },
      { name: 'orders_total', value: 2 },
    ]);
    expect(server.counter('duckside_otlp_points_rejected_total', { signal: 'metrics' })).toBe(6);
  });

  it('answers 503 with Retry-After when the write queue is full, and 200 only for committed points', async () => {
    server = await startOtlpServer({ db: { writer: { maxQueueBytes: 1 } } });
    const body = gzipSync(
      encodeRequest(gaugeRequest(200, [{ key: 'symbol', value: { stringValue: 'BTC/USD' } }])),
    );
    const results = await Promise.all(
      Array.from({ length: 24 }, () => post(server, body, { ...PROTO, 'content-encoding': 'gzip' })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const refused = results.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.headers.get('retry-after')).toBe('1');
      expect(protoStatus(r.bytes)).toEqual({
        code: 14,
        message: expect.stringMatching(/^write queue is full \(\d+ of 1 bytes\)$/),
      });
    }
    expect(await count(server)).toBe(200 * statuses.filter((s) => s === 200).length);
  });

  it('answers 503 with Retry-After, never 500, when the database is closed', async () => {
    server = await startOtlpServer();
    await server.db.close();
    const res = await post(server, JSON.stringify(gaugeRequest(1)), JSON_TYPE);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(server.logs.some((l) => l.level === 'error' && l.fields?.code === 'closed')).toBe(true);
  });

  it('stores very large attribute values intact', async () => {
    server = await startOtlpServer();
    const big = 'é'.repeat(1_500_000) + '🚀'.repeat(1000);
    const list = Array.from({ length: 20_000 }, (_, i) => ({ intValue: String(i - 10_000) }));
    const attributes = [
      { key: 'big', value: { stringValue: big } },
      { key: 'list', value: { arrayValue: { values: list } } },
      { key: 'k'.repeat(100_000), value: { boolValue: true } },
    ];
    const res = await post(server, gzipSync(encodeRequest(gaugeRequest(2, attributes))), {
      ...PROTO,
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(200);
    const points = await readStoredPoints(server.db);
    expect(points).toHaveLength(2);
    expect(points[0]!.attributes).toEqual({
      big,
      list: list.map((v) => BigInt(v.intValue)),
      ['k'.repeat(100_000)]: true,
    });
  });
});

describe('POST /v1/metrics size limits', () => {
  let server: OtlpTestServer;
  afterEach(async () => {
    await server?.close();
  });

  it('answers 413 to a Content-Length over the limit without reading the body', async () => {
    server = await startOtlpServer({ plugin: { maxBodyBytes: 4096 } });
    const res = await post(server, new Uint8Array(5000), PROTO);
    expect(res.status).toBe(413);
    expect(protoStatus(res.bytes).message).toBe('the request body exceeds the limit of 4096 bytes');
    expect((await post(server, encodeRequest(gaugeRequest(3)), PROTO)).status).toBe(200);
  });

  it('answers 413 to a chunked body that grows past the limit', async () => {
    server = await startOtlpServer({ plugin: { maxBodyBytes: 64 * 1024 } });
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 16 * 1024;
        if (sent > 1024 * 1024) controller.close();
        else controller.enqueue(new Uint8Array(16 * 1024));
      },
    });
    const res = await post(server, stream, PROTO);
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
  });

  it('answers 413 when the inflated body passes the limit', async () => {
    server = await startOtlpServer({ plugin: { maxBodyBytes: 64 * 1024 } });
    const body = encodeRequest(gaugeRequest(4000));
    expect(body.length).toBeGreaterThan(64 * 1024);
    const gz = gzipSync(body);
    expect(gz.length).toBeLessThan(64 * 1024);
    expect((await post(server, gz, { ...PROTO, 'content-encoding': 'gzip' })).status).toBe(413);
    expect(await count(server)).toBe(0);
  });

  it('stops a gzip bomb while inflating (4 GiB of zeros in 4 MiB)', async () => {
    server = await startOtlpServer();
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(bomb.length).toBeLessThan(16 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const res = await post(server, bomb, { ...PROTO, 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
  });
});
