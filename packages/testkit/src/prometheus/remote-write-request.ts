/// <reference path="./snappyjs.d.ts" />
import protobuf from 'protobufjs';
import snappy from 'snappyjs';

/**
 * remote_write 1.0's `prometheus.WriteRequest` (prometheus/prompb types.proto and remote.proto, field numbers
 * as published) as protobufjs types: an encoder independent of Duckside's decoder, for tests and the benchmark.
 */
const PROTO = `
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
message MetricMetadata { int32 type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
message Sample { double value = 1; int64 timestamp = 2; }
message Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
message Histogram { uint64 count_int = 1; double sum = 3; int64 timestamp = 15; }
message TimeSeries {
  repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3;
  repeated Histogram histograms = 4;
}
message Label { string name = 1; string value = 2; }
`;

const WriteRequestType = protobuf.parse(PROTO).root.lookupType('prometheus.WriteRequest');

/** One sample: ms since 1970, and a value; `stale: true` sends Prometheus' staleness marker instead. */
export interface WriteSample {
  value: number;
  timestamp: number;
  stale?: boolean;
}

/** One time series of a {@link WriteRequestInput}: labels in the order given (senders sort them by name). */
export interface WriteSeries {
  labels: ReadonlyArray<readonly [string, string]>;
  samples: readonly WriteSample[];
  exemplars?: ReadonlyArray<{
    labels: ReadonlyArray<readonly [string, string]>;
    value: number;
    timestamp: number;
  }>;
  histograms?: ReadonlyArray<{ countInt: number; sum: number; timestamp: number }>;
}

/** A `WriteRequest` to encode. */
export interface WriteRequestInput {
  timeseries?: readonly WriteSeries[];
  /** `type` is `MetricMetadata.MetricType` (1 counter, 2 gauge, 3 histogram, 5 summary, ...). */
  metadata?: ReadonlyArray<{ type: number; metricFamilyName: string; help?: string; unit?: string }>;
}

/** A finite double no workload uses, written where a staleness marker goes and then patched to its bits. */
const STALE_PLACEHOLDER = -1.25e-300;
const STALE_NAN_BYTES = Buffer.from([2, 0, 0, 0, 0, 0, 0xf0, 0x7f]);

const labelList = (labels: ReadonlyArray<readonly [string, string]>) =>
  labels.map(([name, value]) => ({ name, value }));

/**
 * The protobuf bytes of a `WriteRequest` (uncompressed), staleness markers as `0x7ff0000000000002`.
 * @example encodeWriteRequest({ timeseries: [{ labels: [['__name__', 'up']], samples: [{ value: 1, timestamp: 1e12 }] }] })
 */
export function encodeWriteRequest(input: WriteRequestInput): Buffer {
  let stale = false;
  const message = WriteRequestType.fromObject({
    timeseries: (input.timeseries ?? []).map((s) => ({
      labels: labelList(s.labels),
      samples: s.samples.map((x) => {
        stale ||= x.stale === true;
        return { value: x.stale ? STALE_PLACEHOLDER : x.value, timestamp: x.timestamp };
      }),
      exemplars: (s.exemplars ?? []).map((e) => ({ ...e, labels: labelList(e.labels) })),
      histograms: s.histograms ?? [],
    })),
    metadata: input.metadata ?? [],
  });
  const bytes = Buffer.from(WriteRequestType.encode(message).finish());
  if (stale) {
    const placeholder = Buffer.alloc(8);
    placeholder.writeDoubleLE(STALE_PLACEHOLDER);
    for (let at = bytes.indexOf(placeholder); at >= 0; at = bytes.indexOf(placeholder, at + 8))
      STALE_NAN_BYTES.copy(bytes, at);
  }
  return bytes;
}

/**
 * Snappy block-compresses bytes as a remote_write sender does (`snappy.Encode`).
 * @example await fetch(url, { method: 'POST', body: snappyBlock(encodeWriteRequest(req)) })
 */
export function snappyBlock(bytes: Uint8Array): Buffer {
  return snappy.compress(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * The body and headers of a remote_write 1.0 request, as Prometheus sends it.
 * @example await fetch(`${url}/api/v1/write`, { method: 'POST', ...remoteWriteBody(req) })
 */
export function remoteWriteBody(input: WriteRequestInput): { body: Buffer; headers: Record<string, string> } {
  return {
    body: snappyBlock(encodeWriteRequest(input)),
    headers: REMOTE_WRITE_HEADERS,
  };
}

/** The headers Prometheus sends with each remote_write request. */
export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
});
