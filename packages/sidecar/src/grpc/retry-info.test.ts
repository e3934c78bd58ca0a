import { otlpProto } from '@duckside/testkit/otlp';
import { describe, expect, it } from 'vitest';
import { encodeStatus } from '../otlp/export-response.ts';
import { retryInfoDetail } from './retry-info.ts';

function decode(delayMs: number) {
  const status = otlpProto.status.toObject(
    otlpProto.status.decode(encodeStatus(14, 'retry', [retryInfoDetail(delayMs)])),
    {
      longs: Number,
    },
  ) as { code: number; message: string; details: Array<{ typeUrl: string; value: Uint8Array }> };
  const [any] = status.details;
  return {
    code: status.code,
    message: status.message,
    typeUrl: any!.typeUrl,
    retryInfo: otlpProto.retryInfo.toObject(otlpProto.retryInfo.decode(any!.value), { longs: Number }),
  };
}

describe('retryInfoDetail', () => {
  it('encodes a google.rpc.RetryInfo in a google.protobuf.Any that an independent decoder reads back', () => {
    expect(decode(1000)).toEqual({
      code: 14,
      message: 'retry',
      typeUrl: 'type.googleapis.com/google.rpc.RetryInfo',
      retryInfo: { retryDelay: { seconds: 1 } },
    });
    expect(decode(2250).retryInfo).toEqual({ retryDelay: { seconds: 2, nanos: 250_000_000 } });
    expect(decode(7).retryInfo).toEqual({ retryDelay: { nanos: 7_000_000 } });
    expect(decode(0).retryInfo).toEqual({ retryDelay: {} });
  });
});
