export { decodeJsonMetrics } from './json-metrics-decoder.ts';
export { createOtlpPlugin, DEFAULT_MAX_BODY_BYTES, type OtlpPluginOptions } from './otlp-plugin.ts';
export type { DecodedMetrics } from './point-sink.ts';
export { decodeProtobufMetrics } from './protobuf-metrics-decoder.ts';
