import { gzipSync } from 'node:zlib';
import { compiled } from '@duckside/core';
import {
  type ExportClient,
  type ExportOutcome,
  encodeRequest,
  exportClient,
  gaugeRequest,
} from '@duckside/testkit/otlp';
import { Metadata } from '@grpc/grpc-js';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, describe, expect, it } from 'vitest';
import { exportEverything, RecordingExporter, SUCCESS } from './helpers/otel-recording.ts';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';

const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;
const UNAUTHENTICATED = 16;
const GZIP = { 'grpc.default_compression_algorithm': 2 };
const TOKEN = 'grpc-test-token-0123456789';

let server: OtlpTestServer | undefined;
const clients: ExportClient[] = [];
async function start(options: Parameters<typeof startOtlpServer>[0] = {}) {
  server = await startOtlpServer({ grpc: {}, ...options });
  return server;
}
function client(s: OtlpTestServer, options = {}): ExportClient {
  const c = exportClient(s.grpcAddress, 'metrics', options);
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

async function count(s: OtlpTestServer, name?: string): Promise<number> {
  const where = name === undefined ? '' : ' WHERE name = ?';
  const rows = await s.db.all(
    compiled<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM trading_metrics${where}`,
      name === undefined ? [] : [name],
    ),
  );
  return rows[0]!.n;
}

function refused(outcome: ExportOutcome) {
  if (outcome.ok) throw new Error('the call was expected to fail');
  return outcome;
}

describe('OTLP/gRPC Export status contract', () => {
  it('answers OK (empty response) once stored, and partial_success for points it cannot store', async () => {
    const s = await start();
    const c = client(s);
    const full = await c.export(encodeRequest(gaugeRequest(3)));
    expect(full).toEqual({ ok: true, response: Buffer.alloc(0) });
    expect(await c.export(new Uint8Array(0))).toEqual({ ok: true, response: Buffer.alloc(0) });
    const partial = await c.export(
      encodeRequest({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  { name: 'ok', gauge: { dataPoints: [{ timeUnixNano: '1', asInt: '1' }] } },
                  { name: 'no_time', sum: { aggregationTemporality: 2, dataPoints: [{ asDouble: 1 }] } },
                ],
              },
            ],
          },
        ],
      }),
    );
    if (!partial.ok) throw new Error(partial.details);
    expect(ProtobufMetricsSerializer.deserializeResponse(partial.response)).toEqual({
      partialSuccess: {
        rejectedDataPoints: 1,
        errorMessage: 'time_unix_nano is 0 or missing (metric "no_time")',
      },
    });
    expect(await count(s)).toBe(4);
    expect(s.counter('duckside_otlp_points_rejected_total', { signal: 'metrics' })).toBe(1);
    expect(s.counter('duckside_otlp_grpc_requests_total', { signal: 'metrics', code: 'OK' })).toBe(3);
  });

  it('answers INVALID_ARGUMENT to malformed messages, without RetryInfo, storing nothing', async () => {
    const s = await start();
    const c = client(s);
    const good = encodeRequest(gaugeRequest(3));
    const truncated = refused(await c.export(good.subarray(0, good.length - 2)));
    expect(truncated.code).toBe(INVALID_ARGUMENT);
    expect(truncated.details).toMatch(/truncated|overruns|past/);
    expect(truncated.retryDelayMs).toBeUndefined();
    const garbage = refused(await c.export(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])));
    expect(garbage.code).toBe(INVALID_ARGUMENT);
    expect(await count(s)).toBe(0);
    expect(
      s.counter('duckside_otlp_grpc_requests_total', { signal: 'metrics', code: 'INVALID_ARGUMENT' }),
    ).toBe(2);
  });

  it('accepts gzip-compressed messages (grpc-encoding: gzip)', async () => {
    const s = await start();
    const outcome = await client(s, GZIP).export(encodeRequest(gaugeRequest(500)));
    expect(outcome.ok).toBe(true);
    expect(await count(s)).toBe(500);
  });

  it('refuses a message over the limit, on the wire or once inflated, with RESOURCE_EXHAUSTED (not retryable)', async () => {
    const s = await start({ grpc: { maxMessageBytes: 64 * 1024 } });
    const big = encodeRequest(gaugeRequest(4000));
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect(gzipSync(big).length).toBeLessThan(64 * 1024);
    const plain = refused(await client(s).export(big));
    expect([plain.code, plain.retryDelayMs]).toEqual([RESOURCE_EXHAUSTED, undefined]);
    const zipped = refused(await client(s, GZIP).export(big));
    expect([zipped.code, zipped.retryDelayMs]).toEqual([RESOURCE_EXHAUSTED, undefined]);
    // Only a gzip frame can be refused for what it inflates to.
    expect(zipped.details).toMatch(/decompresses to a size larger than 65536/);
    expect(await count(s)).toBe(0);
    expect((await client(s, GZIP).export(encodeRequest(gaugeRequest(100)))).ok).toBe(true);
    expect(await count(s)).toBe(100);
  });

  it('tells clients to retry (UNAVAILABLE with RetryInfo) when the write queue is full; a retried export is stored once', async () => {
    const s = await start({ db: { writer: { maxQueueBytes: 1 } } });
    const c = client(s, GZIP);
    const names = Array.from({ length: 24 }, (_, i) => `g${i}`);
    const bodies = names.map((name) =>
      encodeRequest(gaugeRequest(200, [{ key: 'symbol', value: { stringValue: 'BTC/USD' } }], name)),
    );
    const first = await Promise.all(bodies.map((b) => c.export(b)));
    const retry = first.flatMap((o, i) => (o.ok ? [] : [i]));
    expect(retry.length).toBeGreaterThan(0);
    for (const i of retry) {
      const o = refused(first[i]!);
      expect(o.code).toBe(UNAVAILABLE);
      expect(o.details).toMatch(/queue/);
      expect(o.retryDelayMs).toBeGreaterThan(0);
      expect(await count(s, names[i])).toBe(0);
    }
    for (const i of first.flatMap((o, i) => (o.ok ? [i] : []))) expect(await count(s, names[i])).toBe(200);
    // Every refused exporter retries after the delay it was given (shortened here), all at once, until stored.
    let pending = retry;
    for (let round = 0; pending.length > 0 && round < 50; round++) {
      await new Promise((r) => setTimeout(r, 50));
      const outcomes = await Promise.all(pending.map((i) => c.export(bodies[i]!)));
      for (const o of outcomes) if (!o.ok) expect([o.code, o.retryDelayMs! > 0]).toEqual([UNAVAILABLE, true]);
      pending = pending.filter((_, k) => !outcomes[k]!.ok);
    }
    expect(pending).toEqual([]);
    for (const name of names) expect(await count(s, name)).toBe(200);
    expect(await count(s)).toBe(24 * 200);
  });

  it('answers UNAVAILABLE with RetryInfo, never INTERNAL, when the database is closed', async () => {
    const s = await start();
    await s.db.close();
    const o = refused(await client(s).export(encodeRequest(gaugeRequest(1))));
    expect(o.code).toBe(UNAVAILABLE);
    expect(o.retryDelayMs).toBeGreaterThanOrEqual(1000);
  });

  it('requires the bearer token as authorization metadata when one is set', async () => {
    const s = await start({ grpc: { token: TOKEN } });
    const c = client(s);
    const body = encodeRequest(gaugeRequest(2));
    const none = refused(await c.export(body));
    expect([none.code, none.details]).toEqual([
      UNAUTHENTICATED,
      'a bearer token is required (Authorization: Bearer <token>)',
    ]);
    const wrong = refused(await c.export(body, { authorization: `Bearer ${TOKEN}x` }));
    expect([wrong.code, wrong.details]).toEqual([UNAUTHENTICATED, 'the bearer token is not valid']);
    expect(refused(await c.export(body, { authorization: TOKEN })).code).toBe(UNAUTHENTICATED);
    expect(await count(s)).toBe(0);
    expect((await c.export(body, { authorization: `bearer ${TOKEN}` })).ok).toBe(true);
    expect(await count(s)).toBe(2);

    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${TOKEN}`);
    const exporter = new RecordingExporter(new GrpcExporter({ url: `http://${s.grpcAddress}`, metadata }));
    await exportEverything(exporter);
    expect(exporter.results.map((r) => r.code)).toEqual(exporter.sent.map(() => SUCCESS));
    const anonymous = new RecordingExporter(new GrpcExporter({ url: `http://${s.grpcAddress}` }));
    await exportEverything(anonymous);
    expect(anonymous.results.length).toBeGreaterThan(0);
    for (const r of anonymous.results) expect((r.error as { code?: number }).code).toBe(UNAUTHENTICATED);
  });
});
