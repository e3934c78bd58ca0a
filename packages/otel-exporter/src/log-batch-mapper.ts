import { emptyLogRecord, encodeAnyValue, LogBatch, type LogContext } from '@duckside/core/ingest';
import { MappingError } from './errors.ts';
import { type HrTime, hrTimeToSplit } from './hr-time.ts';
import {
  type ResourceLike,
  resourceColumn,
  type ScopeLike,
  scopeColumn,
  serviceOf,
} from './series-context.ts';
import { attributesColumn, toTypedValue } from './typed-attributes.ts';

/** The parts of an SDK `ReadableLogRecord` the exporter reads (the same in sdk-logs 0.2xx and 3.x). */
export interface LogRecordLike {
  readonly hrTime: HrTime;
  readonly hrTimeObserved: HrTime;
  readonly spanContext?: { traceId: string; spanId: string; traceFlags: number } | undefined;
  readonly severityText?: string | undefined;
  readonly severityNumber?: number | undefined;
  readonly body?: unknown;
  readonly eventName?: string | undefined;
  readonly resource: ResourceLike;
  readonly instrumentationScope: ScopeLike;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly droppedAttributesCount: number;
}

/** Most unix microseconds core stores (the same bound as the OTLP receiver's). */
const MAX_MICROS = Number.MAX_SAFE_INTEGER;

/**
 * Maps SDK log records to a `system_events` {@link LogBatch}, storing every field as the sidecar's OTLP logs
 * receiver stores the same record sent by the SDK's OTLP exporters: times split into micros and nanos (0 is
 * unset), the body as typed JSON (`toAnyValue` typing: integral numbers are ints), attributes, resource and
 * scope as JSON text, trace and span ids, flags, severity and event name. Resource and scope text is built once
 * per object.
 * @example
 * const batch = new LogBatchMapper().batch(records);
 * await db.writeLogBatch(batch);
 */
export class LogBatchMapper {
  private readonly contexts = new WeakMap<object, WeakMap<object, LogContext>>();
  private readonly time = { micros: 0, nanos: 0 };

  /**
   * The records as one batch.
   * @throws MappingError when a record's time is beyond what core stores (past the year 2255).
   */
  batch(records: readonly LogRecordLike[]): LogBatch {
    const batch = new LogBatch();
    const r = emptyLogRecord();
    for (const record of records) {
      const time = this.split(record.hrTime);
      r.timeMicros = time?.micros ?? null;
      r.timeNanos = time?.nanos ?? 0;
      const observed = this.split(record.hrTimeObserved);
      r.observedMicros = observed?.micros ?? null;
      r.observedNanos = observed?.nanos ?? 0;
      r.severityNumber = record.severityNumber ?? 0;
      r.severityText = record.severityText ?? '';
      const body = record.body === undefined ? null : encodeAnyValue(toTypedValue(record.body));
      r.body = body === 'null' ? null : body;
      r.message = typeof record.body === 'string' ? record.body : (r.body ?? '');
      r.attributes = attributesColumn(record.attributes);
      r.droppedAttributesCount = record.droppedAttributesCount;
      r.flags = record.spanContext?.traceFlags ?? 0;
      r.traceId = record.spanContext?.traceId.toLowerCase() ?? '';
      r.spanId = record.spanContext?.spanId.toLowerCase() ?? '';
      r.eventName = record.eventName ?? '';
      batch.push(this.context(record.resource, record.instrumentationScope), r);
    }
    return batch;
  }

  /** Micros and nanos of an `HrTime`; null for 0 (unset in OTLP). */
  private split(time: HrTime): { micros: number; nanos: number } | null {
    if (time[0] === 0 && time[1] === 0) return null;
    const split = hrTimeToSplit(time, this.time);
    if (split.micros > MAX_MICROS) {
      throw new MappingError(`log record time ${time[0]} s is beyond the storable range (year 2255)`);
    }
    return { micros: split.micros, nanos: split.nanos };
  }

  private context(resource: ResourceLike, scope: ScopeLike): LogContext {
    let byScope = this.contexts.get(resource);
    if (!byScope) {
      byScope = new WeakMap();
      this.contexts.set(resource, byScope);
    }
    let context = byScope.get(scope);
    if (!context) {
      context = {
        resource: resourceColumn(resource),
        scope: scopeColumn(scope),
        service: serviceOf(resource),
        scopeName: scope.name,
      };
      byScope.set(scope, context);
    }
    return context;
  }
}
