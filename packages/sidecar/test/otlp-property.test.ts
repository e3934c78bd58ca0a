import { gzipSync } from 'node:zlib';
import { STORAGE_TABLES } from '@duckside/core/catalog';
import { encodeRequest } from '@duckside/testkit/otlp';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJsonMetrics, decodeProtobufMetrics } from '../src/entries/otlp.ts';
import { MalformedBodyError } from '../src/plugin-api/errors.ts';
import { plainRequest, sdkResourceMetrics } from './helpers/otel-arbitraries.ts';
import { expectedFromSdk, toOtlpJson } from './helpers/otel-expected.ts';
import { batchPoints, readStoredPoints } from './helpers/otel-points.ts';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';

const TABLES = ['trading_metrics', 'otel_histograms', 'otel_exp_histograms', 'otel_summaries'] as const;

describe('requests encoded by the SDK serializers (reference encoder)', () => {
  it('decode from protobuf to exactly the SDK data', () => {
    fc.assert(
      fc.property(sdkResourceMetrics, (rm) => {
        const decoded = decodeProtobufMetrics(ProtobufMetricsSerializer.serializeRequest(rm)!);
        expect(decoded.rejected).toBe(0);
        expect(batchPoints(decoded.batch)).toEqual(expectedFromSdk(rm));
      }),
      { numRuns: 300 },
    );
  });

  it('decode from JSON to exactly the SDK data', () => {
    fc.assert(
      fc.property(sdkResourceMetrics, (rm) => {
        const text = Buffer.from(JsonMetricsSerializer.serializeRequest(rm)!).toString('utf8');
        const decoded = decodeJsonMetrics(text);
        expect(decoded.rejected).toBe(0);
        expect(batchPoints(decoded.batch)).toEqual(expectedFromSdk(rm));
      }),
      { numRuns: 300 },
    );
  });
});

describe('random and mutated bytes', () => {
  const mutated = fc
    .tuple(
      plainRequest,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.nat(),
    )
    .map(([request, flips, cut]) => {
      const bytes = Uint8Array.from(encodeRequest(request));
      for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
      return bytes.subarray(0, bytes.length === 0 ? 0 : bytes.length - (cut % Math.min(bytes.length, 8)));
    });

  it('never make the protobuf decoder fail with anything but a MalformedBodyError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated), (bytes) => {
        try {
          decodeProtobufMetrics(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedBodyError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never make the JSON decoder fail with anything but a MalformedBodyError', () => {
    const mutatedJson = fc
      .tuple(plainRequest, fc.nat(), fc.string({ maxLength: 3 }))
      .map(([request, at, insert]) => {
        const text = toOtlpJson(request);
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + insert.length);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), mutatedJson), (text) => {
        try {
          decodeJsonMetrics(text);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedBodyError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('over HTTP into the database', () => {
  let server: OtlpTestServer;
  beforeAll(async () => {
    server = await startOtlpServer({ plugin: { maxBodyBytes: 64 * 1024 } });
  });
  afterAll(async () => {
    await server.close();
  });

  const clear = async () => {
    await server.db.withConnection(async (c) => {
      for (const t of TABLES) await c.run(`DELETE FROM ${STORAGE_TABLES[t]}`);
    });
  };

  it('stores random SDK exports exactly (protobuf and JSON, gzip or not)', async () => {
    await fc.assert(
      fc.asyncProperty(sdkResourceMetrics, fc.boolean(), fc.boolean(), async (rm, json, gzip) => {
        await clear();
        const raw = (json ? JsonMetricsSerializer : ProtobufMetricsSerializer).serializeRequest(rm)!;
        const headers: Record<string, string> = {
          'content-type': json ? 'application/json' : 'application/x-protobuf',
        };
        if (gzip) headers['content-encoding'] = 'gzip';
        const res = await fetch(server.url, { method: 'POST', headers, body: gzip ? gzipSync(raw) : raw });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        expect(await readStoredPoints(server.db)).toEqual(expectedFromSdk(rm));
      }),
      { numRuns: 25 },
    );
  });

  it('answer random and mutated bodies only with 200, 400, 413 or 415, and keep serving', async () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      plainRequest.map((r) => encodeRequest(r)),
      plainRequest.map((r) => Buffer.from(toOtlpJson(r))),
      fc.uint8Array({ minLength: 70_000, maxLength: 70_000 }),
    );
    const type = fc.constantFrom('application/x-protobuf', 'application/json', 'text/plain', '');
    const encoding = fc.constantFrom('', 'gzip', 'deflate', 'br');
    const mutate = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(
        body,
        type,
        encoding,
        mutate,
        fc.boolean(),
        async (raw, contentType, coding, flips, compress) => {
          let bytes = Uint8Array.from(compress && coding === 'gzip' ? gzipSync(raw) : raw);
          for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
          if (!compress && bytes.length === 0) bytes = new Uint8Array(0);
          const headers: Record<string, string> = {};
          if (contentType) headers['content-type'] = contentType;
          if (coding) headers['content-encoding'] = coding;
          const res = await fetch(server.url, { method: 'POST', headers, body: bytes });
          await res.arrayBuffer();
          expect([200, 400, 413, 415]).toContain(res.status);
        },
      ),
      { numRuns: 150 },
    );
    const ok = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ok.status).toBe(200);
  });
});
