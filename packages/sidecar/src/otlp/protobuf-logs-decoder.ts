import { splitNanoWords } from '@duckside/core/ingest';
import { hexOf } from './json-text.ts';
import { type DecodedLogs, LogSink } from './log-sink.ts';
import { mergeObjects, OtlpEnvelopeDecoder } from './otlp-envelope-decoder.ts';

/** Tags (field number << 3 | wire type) of the `LogRecord` fields. */
const T = {
  time: 0x09,
  severityNumber: 0x10,
  severityText: 0x1a,
  body: 0x2a,
  attributes: 0x32,
  dropped: 0x38,
  flags: 0x45,
  traceId: 0x4a,
  spanId: 0x52,
  observedTime: 0x59,
  eventName: 0x62,
} as const;

/**
 * Decodes an OTLP `ExportLogsServiceRequest` (protobuf) straight into core's columnar `LogBatch`, with the wire
 * reader of the metrics decoder: resource and scope JSON once per message, the body as typed JSON (any
 * `AnyValue`), attributes typed, trace and span ids as hex, times exact to the nanosecond.
 * @throws MalformedBodyError when the bytes are not a valid message.
 * @example
 * const { batch, rejected } = decodeProtobufLogs(body);
 * await db.writeLogBatch(batch);
 */
export function decodeProtobufLogs(bytes: Uint8Array): DecodedLogs {
  return new ProtobufLogsDecoder(bytes).decode();
}

class ProtobufLogsDecoder extends OtlpEnvelopeDecoder {
  private readonly sink = new LogSink();
  private readonly split = { micros: 0, nanos: 0 };

  decode(): DecodedLogs {
    this.walk();
    return this.sink.result();
  }

  protected enterResource(resource: string, service: string | null): void {
    this.sink.enter({ resource, service });
  }

  protected enterScope(scope: string, scopeName: string): void {
    this.sink.enter({ scope, scopeName });
  }

  /** `LogRecord`: every field; unknown ones are skipped. */
  protected item(start: number, end: number): void {
    const r = this.r;
    const p = this.sink.nextRecord();
    let bodyText: string | null = null;
    for (r.pos = start; r.pos < end; ) {
      const tagPos = r.pos;
      const tag = r.varint32();
      switch (tag) {
        case T.time:
        case T.observedTime: {
          r.fixed64();
          if (r.lo === 0 && r.hi === 0) break;
          splitNanoWords(r.lo, r.hi, this.split);
          if (tag === T.time) {
            p.timeMicros = this.split.micros;
            p.timeNanos = this.split.nanos;
          } else {
            p.observedMicros = this.split.micros;
            p.observedNanos = this.split.nanos;
          }
          break;
        }
        case T.severityNumber:
          p.severityNumber = r.varint32() | 0;
          break;
        case T.severityText:
        case T.eventName: {
          const stop = r.lengthEnd(end);
          const text = r.text(r.pos, stop);
          if (tag === T.severityText) p.severityText = text;
          else p.eventName = text;
          r.pos = stop;
          break;
        }
        case T.body: {
          const stop = r.lengthEnd(end);
          p.body = this.attrs.value(r.pos, stop);
          bodyText = this.attrs.stringValue;
          r.pos = stop;
          break;
        }
        case T.attributes:
          p.attributes = mergeObjects(p.attributes, this.attrs.run(tagPos, tag, end, '', true));
          break;
        case T.dropped:
          p.droppedAttributesCount = r.varint32() >>> 0;
          break;
        case T.flags:
          p.flags = r.fixed32();
          break;
        case T.traceId:
        case T.spanId: {
          const stop = r.lengthEnd(end);
          const hex = hexOf(r.buf, r.pos, stop);
          if (tag === T.traceId) p.traceId = hex;
          else p.spanId = hex;
          r.pos = stop;
          break;
        }
        default:
          r.skip(tag);
      }
    }
    r.expectEnd(end);
    this.sink.commit(bodyText);
  }
}
