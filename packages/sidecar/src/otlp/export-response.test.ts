import { otlpProto } from '@duckside/testkit/otlp';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { GrpcCode } from '../http/grpc-code.ts';
import { exportResponse, JSON_ENCODING, statusResponse } from './export-response.ts';

const PROTOBUF = { kind: 'protobuf', mediaType: 'application/x-protobuf' } as const;
const bytes = async (r: Response) => new Uint8Array(await r.arrayBuffer());

describe('export responses', () => {
  it('encode a full success as an empty message, in either encoding', async () => {
    const proto = exportResponse(PROTOBUF, 0, '');
    expect(proto.status).toBe(200);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await bytes(proto)).length).toBe(0);
    expect(await exportResponse(JSON_ENCODING, 0, '').json()).toEqual({});
  });

  it('encode partial success so that the SDK and protobufjs read it back', async () => {
    const message = 'count beyond 2^53 (metric "µ")';
    const proto = await bytes(exportResponse(PROTOBUF, 300, message));
    expect(ProtobufMetricsSerializer.deserializeResponse(proto)).toEqual({
      partialSuccess: { rejectedDataPoints: 300, errorMessage: message },
    });
    expect(otlpProto.response.toObject(otlpProto.response.decode(proto), { longs: Number })).toEqual({
      partialSuccess: { rejectedDataPoints: 300, errorMessage: message },
    });
    const json = await bytes(exportResponse(JSON_ENCODING, 2, message));
    expect(JsonMetricsSerializer.deserializeResponse(json)).toEqual({
      partialSuccess: { rejectedDataPoints: '2', errorMessage: message },
    });
  });

  it('encode google.rpc.Status bodies with extra headers', async () => {
    const r = statusResponse(PROTOBUF, 503, GrpcCode.Unavailable, 'retry later', { 'retry-after': '1' });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(otlpProto.status.toObject(otlpProto.status.decode(await bytes(r)))).toEqual({
      code: 14,
      message: 'retry later',
    });
    const j = statusResponse(JSON_ENCODING, 400, GrpcCode.InvalidArgument, 'bad');
    expect(await j.json()).toEqual({ code: 3, message: 'bad' });
    expect(j.headers.get('content-type')).toBe('application/json');
  });
});
