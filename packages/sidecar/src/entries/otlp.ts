/**
 * `@duckside/sidecar/otlp`: the OTLP metrics decoders (protobuf wire format and OTLP/JSON) that turn one
 * `ExportMetricsServiceRequest` straight into core column batches — for receivers on other transports, the
 * parity tests and the decode benchmark.
 * @example
 * import { decodeProtobufMetrics } from '@duckside/sidecar/otlp';
 * const { batch, rejected } = decodeProtobufMetrics(body);
 * await db.writeMetricBatch(batch);
 */
export { decodeJsonMetrics } from '../otlp/json-metrics-decoder.ts';
export type { DecodedMetrics } from '../otlp/point-sink.ts';
export { decodeProtobufMetrics } from '../otlp/protobuf-metrics-decoder.ts';
