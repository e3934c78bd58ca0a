import {
  type AttributeValue,
  compiled,
  type Database,
  decodeAttributes,
  decodeAttributeValue,
  decodeResource,
  decodeScope,
  type ResourceInfo,
  type ScopeInfo,
  type Severity,
  severityOfLogRecord,
} from '@duckside/core';
import { encodeAttributes } from '@duckside/core/ingest';
import type { HrTime } from '@opentelemetry/api';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { typedSdkValue } from './otel-expected.ts';

/** One stored log record in a comparable form: typed values, exact nanosecond times. */
export interface StoredLog {
  severity: Severity;
  source: string;
  message: string;
  time: bigint | null;
  observedTime: bigint | null;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Record<string, AttributeValue>;
  resource: ResourceInfo;
  scope: ScopeInfo;
  traceId: string | null;
  spanId: string | null;
  flags: number;
  eventName: string | null;
  droppedAttributesCount: number;
}

/** Reads every event that came as an OTLP log record back from `system_events`, in id order. */
export async function readStoredLogs(db: Database): Promise<StoredLog[]> {
  const rows = await db.all(
    compiled<Record<string, unknown>>(
      'SELECT * FROM system_events WHERE severity_number IS NOT NULL ORDER BY id',
      [],
    ),
  );
  return rows.map((r) => ({
    severity: r.severity as Severity,
    source: r.source as string,
    message: r.message as string,
    time: r.time_unix_nano as bigint | null,
    observedTime: r.observed_time_unix_nano as bigint | null,
    severityNumber: Number(r.severity_number),
    severityText: r.severity_text as string,
    body: decodeAttributeValue(r.body as string | null),
    attributes: decodeAttributes(r.attributes as string),
    resource: decodeResource(r.resource as string),
    scope: decodeScope(r.scope as string),
    traceId: r.trace_id as string | null,
    spanId: r.span_id as string | null,
    flags: Number(r.flags),
    eventName: r.event_name as string | null,
    droppedAttributesCount: Number(r.dropped_attributes_count),
  }));
}

const hrNanos = (t: HrTime) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
const nonZero = (n: bigint) => (n === 0n ? null : n);

/** What the SDK's log records must be stored as (what its OTLP serializers encode: ints as int64). */
export function expectedFromSdkLogs(records: readonly ReadableLogRecord[]): StoredLog[] {
  return records.map((rec) => {
    const resourceAttributes = typedSdkValue(rec.resource.attributes) as Record<string, AttributeValue>;
    const body = typedSdkValue(rec.body);
    const service = resourceAttributes['service.name'];
    const severityNumber = rec.severityNumber ?? 0;
    const severityText = rec.severityText ?? '';
    return {
      severity: severityOfLogRecord(severityNumber, severityText),
      source: typeof service === 'string' ? service : rec.instrumentationScope.name,
      message:
        typeof body === 'string' ? body : body === null ? '' : encodeAttributes({ v: body }).slice(5, -1),
      time: nonZero(hrNanos(rec.hrTime)),
      observedTime: nonZero(hrNanos(rec.hrTimeObserved)),
      severityNumber,
      severityText,
      body,
      attributes: typedSdkValue(rec.attributes) as Record<string, AttributeValue>,
      resource: {
        attributes: resourceAttributes,
        droppedAttributesCount: 0,
        schemaUrl: rec.resource.schemaUrl ?? '',
      },
      scope: {
        name: rec.instrumentationScope.name,
        version: rec.instrumentationScope.version ?? '',
        attributes: {},
        droppedAttributesCount: 0,
        schemaUrl: rec.instrumentationScope.schemaUrl ?? '',
      },
      traceId: rec.spanContext?.traceId ?? null,
      spanId: rec.spanContext?.spanId ?? null,
      flags: rec.spanContext?.traceFlags ?? 0,
      eventName: rec.eventName ?? null,
      droppedAttributesCount: rec.droppedAttributesCount,
    } as StoredLog;
  });
}

/** Passes exports through to a real OTLP log exporter, keeping what was sent and what came back. */
export class RecordingLogExporter implements LogRecordExporter {
  readonly sent: ReadableLogRecord[][] = [];
  readonly results: Array<{ code: number; error?: Error }> = [];
  constructor(private readonly inner: LogRecordExporter) {}
  export(logs: ReadableLogRecord[], done: (result: { code: number; error?: Error }) => void): void {
    this.sent.push(logs);
    this.inner.export(logs, (result) => {
      this.results.push(result);
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
