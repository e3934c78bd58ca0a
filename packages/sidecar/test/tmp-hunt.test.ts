import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { decodeJsonMetrics, decodeProtobufMetrics } from '../src/otlp/index.ts';
import { plainRequest, sdkResourceMetrics } from './helpers/otel-arbitraries.ts';
import { expectedFromRequest, expectedFromSdk, toOtlpJson } from './helpers/otel-expected.ts';
import { batchPoints } from './helpers/otel-points.ts';
import { encodeRequest } from './helpers/otel-proto.ts';

it.skip('hunt sdk', () => {
  fc.assert(
    fc.property(sdkResourceMetrics, (rm) => {
      const text = Buffer.from(JsonMetricsSerializer.serializeRequest(rm)!).toString('utf8');
      expect(batchPoints(decodeJsonMetrics(text).batch)).toEqual(expectedFromSdk(rm));
      expect(
        batchPoints(decodeProtobufMetrics(ProtobufMetricsSerializer.serializeRequest(rm)!).batch),
      ).toEqual(expectedFromSdk(rm));
    }),
    { numRuns: 10000 },
  );
}, 600_000);
it('hunt plain', () => {
  fc.assert(
    fc.property(plainRequest, (r) => {
      expect(batchPoints(decodeJsonMetrics(toOtlpJson(r)).batch)).toEqual(expectedFromRequest(r));
      expect(batchPoints(decodeProtobufMetrics(encodeRequest(r)).batch)).toEqual(expectedFromRequest(r));
    }),
    { numRuns: 10000 },
  );
}, 600_000);
