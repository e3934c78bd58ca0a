/**
 * `@duckside/testkit/otlp`: OTLP payloads for tests and benchmarks — an independent protobufjs encoder/decoder of
 * the OTLP metrics protocol, and deterministic trading-shaped exports serialized by the OpenTelemetry SDK's own
 * serializers. Kept apart from the main entry so that tests needing only PostgreSQL or temp dirs load no OTel code.
 * @example
 * import { protobufBody, THOUSAND_POINTS, tradingExport } from '@duckside/testkit/otlp';
 * const body = protobufBody(tradingExport(THOUSAND_POINTS));
 */
export {
  type ExportClient,
  type ExportOutcome,
  exportClient,
  type OtlpGrpcSignal,
} from '../otlp/grpc-export-client.ts';
export { emitEveryLogKind } from '../otlp/log-records.ts';
export { tradingLogsBody } from '../otlp/log-workload.ts';
export {
  decodeRawRequest,
  encodeLogsRequest,
  encodeRequest,
  gaugeRequest,
  otlpProto,
} from '../otlp/otel-proto.ts';
export {
  jsonBody,
  protobufBody,
  THOUSAND_POINTS,
  TRADING_SYMBOLS,
  tradingExport,
  type WorkloadOptions,
  workloadPoints,
} from '../otlp/otel-workload.ts';
