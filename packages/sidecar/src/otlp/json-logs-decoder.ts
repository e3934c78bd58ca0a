import { decodeInOneOrTwoPasses, JsonEnvelopeDecoder } from './json-envelope-decoder.ts';
import { type DecodedLogs, LogSink } from './log-sink.ts';

const NAMES = { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' };

/** `SeverityNumber` names, by value (OTLP/JSON may give the enum by name). */
const SEVERITY_NAMES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) =>
    ['', '2', '3', '4'].map((n) => `SEVERITY_NUMBER_${level}${n}`),
  ),
];

/**
 * Decodes an OTLP/JSON `ExportLogsServiceRequest` into core's columnar `LogBatch` with the pull scanner of the
 * metrics decoder: no object tree, 64-bit times exact, the severity number by value or name, trace and span
 * ids as hex, the body (any `AnyValue`) and attributes as typed JSON. Bad JSON or a wrongly typed structure
 * is malformed; a log record with a wrongly typed field is rejected on its own.
 * @throws MalformedBodyError
 * @example
 * const { batch } = decodeJsonLogs('{"resourceLogs":[]}'); // batch.size === 0
 */
export function decodeJsonLogs(text: string): DecodedLogs {
  return decodeInOneOrTwoPasses((lookAhead) => new JsonLogsDecoder(text, lookAhead).decode());
}

class JsonLogsDecoder extends JsonEnvelopeDecoder {
  private readonly sink = new LogSink();
  private readonly split = { micros: 0, nanos: 0 };

  constructor(text: string, lookAhead: boolean) {
    super(text, lookAhead, NAMES);
  }

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

  /** `LogRecord`: every field, in any order; unknown ones are skipped. */
  protected item(): void {
    const r = this.r;
    const p = this.sink.nextRecord();
    let bodyText: string | null = null;
    r.clearProblem();
    if (this.objectStart('logRecords')) {
      do {
        const key = r.key();
        switch (key) {
          case 'timeUnixNano':
          case 'observedTimeUnixNano': {
            r.nanos(key, this.split);
            const set = this.split.micros !== 0 || this.split.nanos !== 0;
            if (key === 'timeUnixNano') {
              p.timeMicros = set ? this.split.micros : null;
              p.timeNanos = this.split.nanos;
            } else {
              p.observedMicros = set ? this.split.micros : null;
              p.observedNanos = this.split.nanos;
            }
            break;
          }
          case 'severityNumber':
            p.severityNumber = r.enumValue(key, SEVERITY_NAMES);
            break;
          case 'severityText':
            p.severityText = r.str(key);
            break;
          case 'eventName':
            p.eventName = r.str(key);
            break;
          case 'body':
            if (r.null()) break;
            p.body = this.attrs.value(key);
            bodyText = this.attrs.stringValue;
            break;
          case 'attributes':
            p.attributes = this.attrs.list(key, '', true);
            break;
          case 'droppedAttributesCount':
            p.droppedAttributesCount = r.int32(key) >>> 0;
            break;
          case 'flags':
            p.flags = r.int32(key) >>> 0;
            break;
          case 'traceId':
            p.traceId = r.hex(key);
            break;
          case 'spanId':
            p.spanId = r.hex(key);
            break;
          default:
            r.skipValue();
        }
      } while (r.objectNext());
    }
    if (r.problem) this.sink.reject(r.problem);
    else this.sink.commit(bodyText);
  }
}
