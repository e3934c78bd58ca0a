import { bytesField, message, stringField, varintField } from '../otlp/protobuf-writer.ts';

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * A `google.protobuf.Any` holding a `google.rpc.RetryInfo` whose `retry_delay` is `delayMs`: the detail that
 * tells an OTLP/gRPC client to retry after that delay (for `RESOURCE_EXHAUSTED` it is what makes the code
 * retryable at all).
 * @example encodeStatus(14, 'the write queue is full; retry later', [retryInfoDetail(1000)])
 */
export function retryInfoDetail(delayMs: number): Uint8Array {
  const ms = Math.max(0, Math.round(delayMs));
  const duration = message(varintField(1, Math.floor(ms / 1000)), varintField(2, (ms % 1000) * 1_000_000));
  const retryInfo = bytesField(1, duration, true);
  return message(stringField(1, RETRY_INFO_TYPE), bytesField(2, retryInfo, true));
}
