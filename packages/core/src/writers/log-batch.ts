import { writtenColumns } from '../catalog/column.ts';
import { SYSTEM_EVENTS } from '../catalog/trading-tables.ts';
import { severityOfLogRecord } from '../models/log-severity.ts';
import { severityLevel } from '../models/system-event.ts';
import type { ColumnarTable } from './columnar-table.ts';

/**
 * What every log record of one `ScopeLogs` shares. `resource` and `scope` are JSON text (`encodeResource`,
 * `encodeScope`); `service` is the resource's `service.name` (the event `source`, else the scope name).
 */
export interface LogContext {
  resource: string;
  scope: string;
  service: string | null;
  scopeName: string;
}

/**
 * One OTLP log record, ready to store. Times are unix microseconds plus the 0..999 nanosecond remainder; null
 * micros means unset (OTLP 0). `body` is the typed JSON of the body `AnyValue` (`encodeAttributes` style), null
 * when the record has none; `message` is the text searched and shown (the body when it is a string).
 */
export interface LogRecordFields {
  timeMicros: number | null;
  timeNanos: number;
  observedMicros: number | null;
  observedNanos: number;
  severityNumber: number;
  severityText: string;
  body: string | null;
  message: string;
  /** Attributes as JSON text (`encodeAttributes`). */
  attributes: string;
  droppedAttributesCount: number;
  flags: number;
  /** Lowercase hex, '' when absent. */
  traceId: string;
  spanId: string;
  eventName: string;
}

/**
 * A fresh {@link LogRecordFields} with nothing set (decoders reuse one and {@link LogBatch.push} copies it).
 * @example const r = emptyLogRecord(); r.message = 'hello'; batch.push(context, r);
 */
export function emptyLogRecord(): LogRecordFields {
  return {
    timeMicros: null,
    timeNanos: 0,
    observedMicros: null,
    observedNanos: 0,
    severityNumber: 0,
    severityText: '',
    body: null,
    message: '',
    attributes: '{}',
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
}

const SOURCE_FALLBACK = 'otlp';

/** The columns of `system_events` a batch fills, in table order (`id` comes from its sequence). */
const SPEC = writtenColumns(SYSTEM_EVENTS);

/**
 * OTLP log records held column by column as `system_events` rows, for `db.writeLogBatch`. The event time `ts`
 * is the record's time, else its observed time, else `receivedMicros` (when the batch was made); severity and
 * level come from the severity number (or text); `source` is the service name, else the scope name. Empty
 * trace id, span id and event name (the same as absent in OTLP) are stored as NULL.
 * @example
 * const batch = new LogBatch();
 * batch.push({ resource: '{}', scope: '{}', service: 'oms', scopeName: '' }, { ...emptyLogRecord(), message: 'up' });
 * await db.writeLogBatch(batch);
 */
export class LogBatch {
  private readonly columns: unknown[][] = SPEC.flatMap((c) => (c.kind === 'nanos' ? [[], []] : [[]]));
  private count = 0;

  constructor(private readonly receivedMicros: number = Date.now() * 1000) {}

  /** Number of records. */
  get size(): number {
    return this.count;
  }

  /** Appends one record (its fields are copied). */
  push(context: LogContext, r: LogRecordFields): void {
    const c = this.columns;
    const severity = severityOfLogRecord(r.severityNumber, r.severityText);
    c[A.ts]!.push(r.timeMicros ?? r.observedMicros ?? this.receivedMicros);
    c[A.severity]!.push(severity);
    c[A.level]!.push(severityLevel(severity));
    c[A.source]!.push(context.service ?? (context.scopeName || SOURCE_FALLBACK));
    c[A.message]!.push(r.message);
    c[A.attributes]!.push(r.attributes);
    c[A.time]!.push(r.timeMicros);
    c[A.time + 1]!.push(r.timeNanos);
    c[A.observed]!.push(r.observedMicros);
    c[A.observed + 1]!.push(r.observedNanos);
    c[A.severityNumber]!.push(r.severityNumber);
    c[A.severityText]!.push(r.severityText);
    c[A.body]!.push(r.body);
    c[A.resource]!.push(context.resource);
    c[A.scope]!.push(context.scope);
    c[A.traceId]!.push(r.traceId || null);
    c[A.spanId]!.push(r.spanId || null);
    c[A.flags]!.push(r.flags);
    c[A.eventName]!.push(r.eventName || null);
    c[A.dropped]!.push(r.droppedAttributesCount);
    this.count++;
  }

  /** The records as a `system_events` table for the writer. */
  toTable(): ColumnarTable {
    return { table: SYSTEM_EVENTS.name, spec: SPEC, columns: this.columns, length: this.count };
  }
}

/** Index of a column's (first) array in a table of {@link SPEC} (a `nanos` column has two). */
function arrayIndex(name: string): number {
  let i = 0;
  for (const c of SPEC) {
    if (c.name === name) return i;
    i += c.kind === 'nanos' ? 2 : 1;
  }
  throw new Error(`${SYSTEM_EVENTS.name} has no column ${name}`);
}

const A = Object.freeze({
  ts: arrayIndex('ts'),
  severity: arrayIndex('severity'),
  level: arrayIndex('level'),
  source: arrayIndex('source'),
  message: arrayIndex('message'),
  attributes: arrayIndex('attributes'),
  time: arrayIndex('time_unix_nano'),
  observed: arrayIndex('observed_time_unix_nano'),
  severityNumber: arrayIndex('severity_number'),
  severityText: arrayIndex('severity_text'),
  body: arrayIndex('body'),
  resource: arrayIndex('resource'),
  scope: arrayIndex('scope'),
  traceId: arrayIndex('trace_id'),
  spanId: arrayIndex('span_id'),
  flags: arrayIndex('flags'),
  eventName: arrayIndex('event_name'),
  dropped: arrayIndex('dropped_attributes_count'),
});
