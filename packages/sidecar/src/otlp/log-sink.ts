import { emptyLogRecord, LogBatch, type LogContext, type LogRecordFields } from '@duckside/core/ingest';

/** What a logs decoder produced: the records to store and how many it had to leave out. */
export interface DecodedLogs {
  /** The storable records, columnar, ready for `db.writeLogBatch`. */
  batch: LogBatch;
  /** Records that cannot be stored (reported as `partial_success.rejected_log_records`). */
  rejected: number;
  /** Why the first rejected record was left out ('' when none was). */
  rejectReason: string;
}

const TIME_RANGE_REASON = 'timestamp beyond the storable range (year 2255)';

/**
 * Collects decoded log records into a {@link LogBatch}: one reusable context and one reusable record (the
 * batch copies their fields), plus the count and first reason of rejected records.
 * @example
 * const sink = new LogSink();
 * const r = sink.nextRecord(); r.message = 'up'; sink.commit();
 */
export class LogSink {
  readonly batch = new LogBatch();
  readonly context: LogContext = { resource: '{}', scope: '{}', service: null, scopeName: '' };
  private readonly record: LogRecordFields = emptyLogRecord();
  private rejected = 0;
  private reason = '';

  /** Sets what the next records share (a new resource, or a new scope of it). */
  enter(context: Partial<LogContext>): void {
    Object.assign(this.context, context);
  }

  /** The scratch record, cleared (field by field: cheaper per record than copying an empty one over it). */
  nextRecord(): LogRecordFields {
    const r = this.record;
    r.timeMicros = null;
    r.timeNanos = 0;
    r.observedMicros = null;
    r.observedNanos = 0;
    r.severityNumber = 0;
    r.severityText = '';
    r.body = null;
    r.message = '';
    r.attributes = '{}';
    r.droppedAttributesCount = 0;
    r.flags = 0;
    r.traceId = '';
    r.spanId = '';
    r.eventName = '';
    return r;
  }

  /**
   * Stores the scratch record, or counts it as rejected when its times cannot be stored. Its `message` is the
   * body's text when the body is a string (`bodyText`), else the body's JSON, else ''. An empty `AnyValue`
   * body is no body (serializers differ in sending one or not).
   */
  commit(bodyText: string | null): void {
    const r = this.record;
    if (r.body === 'null') r.body = null;
    r.message = bodyText ?? r.body ?? '';
    if (tooLate(r.timeMicros) || tooLate(r.observedMicros)) this.reject(TIME_RANGE_REASON);
    else this.batch.push(this.context, r);
  }

  /** Counts one record as rejected for `reason`. */
  reject(reason: string): void {
    if (this.rejected === 0) this.reason = reason;
    this.rejected++;
  }

  /** The batch and the rejection figures. */
  result(): DecodedLogs {
    const more = this.rejected > 1 ? `; ${this.rejected} log records rejected in all` : '';
    return {
      batch: this.batch,
      rejected: this.rejected,
      rejectReason: this.rejected ? this.reason + more : '',
    };
  }
}

/** Whether a time (microseconds) is past what a TIMESTAMP column stores. */
function tooLate(micros: number | null): boolean {
  return micros !== null && micros > Number.MAX_SAFE_INTEGER;
}
