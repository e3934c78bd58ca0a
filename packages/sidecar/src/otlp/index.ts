export { decodeJsonMetrics } from './json-metrics-decoder.ts';
export type { DecodedMetrics } from './point-sink.ts';
export { decodeProtobufMetrics } from './protobuf-metrics-decoder.ts';
