import type { Database } from '@duckside/core';
import { decodeJsonLogs } from './json-logs-decoder.ts';
import { decodeJsonMetrics } from './json-metrics-decoder.ts';
import type { DecodedLogs } from './log-sink.ts';
import type { DecodedMetrics } from './point-sink.ts';
import { decodeProtobufLogs } from './protobuf-logs-decoder.ts';
import { decodeProtobufMetrics } from './protobuf-metrics-decoder.ts';

/** An OTLP signal Duckside receives. */
export type OtlpSignal = 'metrics' | 'logs';

/** A decoded export request: how many items it holds, what was rejected, and how to commit the rest. */
export interface DecodedExport {
  readonly size: number;
  readonly rejected: number;
  readonly rejectReason: string;
  /** Commits the storable items through core's group-commit writer (resolves once committed). */
  write(db: Database): Promise<void>;
}

/** How one signal is decoded and answered, the same over HTTP and gRPC. */
export interface OtlpSignalCodec {
  readonly signal: OtlpSignal;
  /** The OTLP/HTTP path, e.g. `/v1/metrics`. */
  readonly path: string;
  /** The JSON name of the partial success count (`rejectedDataPoints`, `rejectedLogRecords`). */
  readonly rejectedField: string;
  /** @throws MalformedBodyError */
  decodeProtobuf(bytes: Uint8Array): DecodedExport;
  /** @throws MalformedBodyError */
  decodeJson(text: string): DecodedExport;
}

const metrics = (d: DecodedMetrics): DecodedExport => ({
  size: d.batch.size,
  rejected: d.rejected,
  rejectReason: d.rejectReason,
  write: (db) => db.writeMetricBatch(d.batch),
});

const logs = (d: DecodedLogs): DecodedExport => ({
  size: d.batch.size,
  rejected: d.rejected,
  rejectReason: d.rejectReason,
  write: (db) => db.writeLogBatch(d.batch),
});

/**
 * The signals, by name: metrics into the metric tables, logs into `system_events`.
 * @example OTLP_SIGNALS.logs.decodeProtobuf(body).write(db)
 */
export const OTLP_SIGNALS: Readonly<Record<OtlpSignal, OtlpSignalCodec>> = Object.freeze({
  metrics: {
    signal: 'metrics',
    path: '/v1/metrics',
    rejectedField: 'rejectedDataPoints',
    decodeProtobuf: (bytes) => metrics(decodeProtobufMetrics(bytes)),
    decodeJson: (text) => metrics(decodeJsonMetrics(text)),
  },
  logs: {
    signal: 'logs',
    path: '/v1/logs',
    rejectedField: 'rejectedLogRecords',
    decodeProtobuf: (bytes) => logs(decodeProtobufLogs(bytes)),
    decodeJson: (text) => logs(decodeJsonLogs(text)),
  },
});
