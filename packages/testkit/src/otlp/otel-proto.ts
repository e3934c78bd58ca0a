import protobuf from 'protobufjs';

/**
 * The OTLP metrics and logs protocols (opentelemetry-proto v1.x: common, resource, metrics, logs, services) and
 * `google.rpc.Status` with `google.rpc.RetryInfo` details, as protobufjs types: a second, independent encoder/decoder for tests and the
 * benchmark baseline. Field numbers follow the published .proto files.
 */
const PROTO = `
syntax = "proto3";
package opentelemetry.proto;

message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope {
  string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4;
}
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }

message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
message ExportMetricsPartialSuccess { int64 rejected_data_points = 1; string error_message = 2; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
message Any { string type_url = 1; bytes value = 2; }
message RetryInfo { Duration retry_delay = 1; }
message Duration { int64 seconds = 1; int32 nanos = 2; }

message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; string schema_url = 3; }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; string schema_url = 3; }
message Metric {
  string name = 1; string description = 2; string unit = 3;
  oneof data {
    Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9;
    ExponentialHistogram exponential_histogram = 10; Summary summary = 11;
  }
  repeated KeyValue metadata = 12;
}
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; int32 aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; int32 aggregation_temporality = 2; }
message ExponentialHistogram { repeated ExponentialHistogramDataPoint data_points = 1; int32 aggregation_temporality = 2; }
message Summary { repeated SummaryDataPoint data_points = 1; }
message NumberDataPoint {
  repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  oneof value { double as_double = 4; sfixed64 as_int = 6; }
  repeated Exemplar exemplars = 5; uint32 flags = 8;
}
message HistogramDataPoint {
  repeated KeyValue attributes = 9; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  fixed64 count = 4; optional double sum = 5; repeated fixed64 bucket_counts = 6; repeated double explicit_bounds = 7;
  repeated Exemplar exemplars = 8; uint32 flags = 10; optional double min = 11; optional double max = 12;
}
message ExponentialHistogramDataPoint {
  repeated KeyValue attributes = 1; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  fixed64 count = 4; optional double sum = 5; sint32 scale = 6; fixed64 zero_count = 7;
  Buckets positive = 8; Buckets negative = 9; uint32 flags = 10; repeated Exemplar exemplars = 11;
  optional double min = 12; optional double max = 13; double zero_threshold = 14;
  message Buckets { sint32 offset = 1; repeated uint64 bucket_counts = 2; }
}
message SummaryDataPoint {
  repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  fixed64 count = 4; double sum = 5; repeated ValueAtQuantile quantile_values = 6; uint32 flags = 8;
  message ValueAtQuantile { double quantile = 1; double value = 2; }
}
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3; }
message ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; string schema_url = 3; }
message LogRecord {
  fixed64 time_unix_nano = 1; fixed64 observed_time_unix_nano = 11; int32 severity_number = 2;
  string severity_text = 3; AnyValue body = 5; repeated KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7; fixed32 flags = 8; bytes trace_id = 9; bytes span_id = 10;
  string event_name = 12;
}
message Exemplar {
  repeated KeyValue filtered_attributes = 7; fixed64 time_unix_nano = 2;
  oneof value { double as_double = 3; sfixed64 as_int = 6; }
  bytes span_id = 4; bytes trace_id = 5;
}
`;

const root = protobuf.parse(PROTO, { keepCase: false }).root;

/** protobufjs types of the OTLP metrics protocol (`opentelemetry.proto.<Message>`). */
export const otlpProto = {
  request: root.lookupType('opentelemetry.proto.ExportMetricsServiceRequest'),
  response: root.lookupType('opentelemetry.proto.ExportMetricsServiceResponse'),
  status: root.lookupType('opentelemetry.proto.Status'),
  retryInfo: root.lookupType('opentelemetry.proto.RetryInfo'),
  logsRequest: root.lookupType('opentelemetry.proto.ExportLogsServiceRequest'),
};

/**
 * Encodes an `ExportLogsServiceRequest` given as a plain object (protobufjs camelCase).
 * @example encodeLogsRequest({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1' }] }] }] })
 */
export function encodeLogsRequest(request: Record<string, unknown>): Uint8Array {
  const type = otlpProto.logsRequest;
  return type.encode(type.fromObject(request)).finish();
}

/**
 * Encodes an `ExportMetricsServiceRequest` given as a plain object (protobufjs camelCase; 64-bit fields as
 * decimal strings or numbers, bytes as Uint8Array).
 * @example encodeRequest({ resourceMetrics: [] })
 */
export function encodeRequest(request: Record<string, unknown>): Uint8Array {
  const type = otlpProto.request;
  return type.encode(type.fromObject(request)).finish();
}

/** Decodes an `ExportMetricsServiceRequest` into protobufjs message objects (64-bit fields as `Long`). */
export function decodeRawRequest(bytes: Uint8Array): Record<string, unknown> {
  return otlpProto.request.decode(bytes) as unknown as Record<string, unknown>;
}

/**
 * A request (protobufjs plain object) with `n` gauge points named `name` (times 1..n ns, values 0..n-1)
 * carrying `attributes`.
 * @example encodeRequest(gaugeRequest(3))
 */
export function gaugeRequest(n: number, attributes: unknown[] = [], name = 'g') {
  const dataPoints = Array.from({ length: n }, (_, i) => ({
    timeUnixNano: String(i + 1),
    asDouble: i,
    attributes,
  }));
  return { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name, gauge: { dataPoints } }] }] }] };
}
