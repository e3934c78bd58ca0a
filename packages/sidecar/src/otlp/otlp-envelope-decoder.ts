import { resourceJson, scopeJson } from './json-text.ts';
import { ProtobufAttributes } from './protobuf-attributes.ts';
import { WireReader } from './wire-reader.ts';

const LEN1 = 0x0a;
const LEN2 = 0x12;
const LEN3 = 0x1a;

/**
 * The envelope every OTLP export request shares, read straight from the wire: `Resource<Signal>` (field 1 of
 * the request) holds a resource (1), `Scope<Signal>` messages (2) and a schema URL (3); each of those holds a
 * scope (1), the signal's items (2) and a schema URL (3). Subclasses receive the resource and scope as
 * stored JSON text (once per message, not per item) and decode the items.
 * @example
 * class CountingDecoder extends OtlpEnvelopeDecoder {
 *   n = 0;
 *   protected enterResource() {} protected enterScope() {}
 *   protected item() { this.n++; }
 * }
 */
export abstract class OtlpEnvelopeDecoder {
  protected readonly r: WireReader;
  protected readonly attrs: ProtobufAttributes;
  /** Where the context message (field 1) of the last `context()` scan is, and its schema URL (field 3). */
  private contextStart = -1;
  private contextEnd = -1;
  private schemaUrl = '';

  constructor(bytes: Uint8Array) {
    this.r = new WireReader(bytes);
    this.attrs = new ProtobufAttributes(this.r);
  }

  /** Called with the stored resource JSON and the `service.name` attribute (or null) of each resource. */
  protected abstract enterResource(resource: string, service: string | null): void;
  /** Called with the stored scope JSON and the scope name of each scope. */
  protected abstract enterScope(scope: string, name: string): void;
  /** Called with the byte range of each item (metric, log record) of the current scope. */
  protected abstract item(start: number, end: number): void;

  /**
   * Reads the whole request, calling the hooks in order.
   * @throws MalformedBodyError when the bytes are not a valid message.
   */
  protected walk(): void {
    this.eachField(0, this.r.length, LEN1, (start, end) => {
      this.context(start, end);
      this.resource(this.contextStart, this.contextEnd, this.schemaUrl);
      this.eachField(start, end, LEN2, (s, e) => {
        this.context(s, e);
        this.scope(this.contextStart, this.contextEnd, this.schemaUrl);
        this.eachField(s, e, LEN2, (is, ie) => this.item(is, ie));
      });
    });
  }

  /** Calls `fn` with the range of every length-delimited field `tag` of the message in `[start, end)`. */
  protected eachField(
    start: number,
    end: number,
    tag: number,
    fn: (start: number, end: number) => void,
  ): void {
    const r = this.r;
    for (r.pos = start; r.pos < end; ) {
      const t = r.varint32();
      if (t !== tag) {
        r.skip(t);
        continue;
      }
      const stop = r.lengthEnd(end);
      fn(r.pos, stop);
      r.pos = stop;
    }
  }

  /** Finds field 1 (a message) and field 3 (the schema URL) of a `Resource<Signal>` or `Scope<Signal>`. */
  private context(start: number, end: number): void {
    const r = this.r;
    this.contextStart = -1;
    this.contextEnd = -1;
    this.schemaUrl = '';
    for (r.pos = start; r.pos < end; ) {
      const tag = r.varint32();
      if (tag === LEN1 || tag === LEN2 || tag === LEN3) {
        const stop = r.lengthEnd(end);
        if (tag === LEN1) {
          this.contextStart = r.pos;
          this.contextEnd = stop;
        } else if (tag === LEN3) this.schemaUrl = r.text(r.pos, stop);
        r.pos = stop;
      } else {
        r.skip(tag);
      }
    }
    r.expectEnd(end);
  }

  /** `Resource`: attributes (1), dropped_attributes_count (2). */
  private resource(start: number, end: number, schemaUrl: string): void {
    const r = this.r;
    let attributes = '{}';
    let service: string | null = null;
    let dropped = 0;
    for (r.pos = Math.max(start, 0); r.pos < end; ) {
      const tagPos = r.pos;
      const tag = r.varint32();
      if (tag === LEN1) {
        attributes = mergeObjects(attributes, this.attrs.run(tagPos, LEN1, end, 'service.name', false));
        service = this.attrs.promoted ?? service;
      } else if (tag === 0x10) {
        dropped = r.varint32();
      } else {
        r.skip(tag);
      }
    }
    if (start >= 0) r.expectEnd(end);
    this.enterResource(resourceJson(attributes.slice(1, -1), dropped, schemaUrl), service);
  }

  /** `InstrumentationScope`: name (1), version (2), attributes (3), dropped_attributes_count (4). */
  private scope(start: number, end: number, schemaUrl: string): void {
    const r = this.r;
    let name = '';
    let version = '';
    let attributes = '{}';
    let dropped = 0;
    for (r.pos = Math.max(start, 0); r.pos < end; ) {
      const tagPos = r.pos;
      const tag = r.varint32();
      if (tag === LEN1 || tag === LEN2) {
        const stop = r.lengthEnd(end);
        if (tag === LEN1) name = r.text(r.pos, stop);
        else version = r.text(r.pos, stop);
        r.pos = stop;
      } else if (tag === LEN3) {
        attributes = mergeObjects(attributes, this.attrs.run(tagPos, LEN3, end, '', false));
      } else if (tag === 0x20) {
        dropped = r.varint32();
      } else {
        r.skip(tag);
      }
    }
    if (start >= 0) r.expectEnd(end);
    this.enterScope(scopeJson(name, version, attributes.slice(1, -1), dropped, schemaUrl), name);
  }
}

/**
 * Joins two JSON object texts (`{a}` + `{b}` = `{a,b}`): attribute fields need not be consecutive.
 * @example mergeObjects('{"a":1}', '{"b":2}') // '{"a":1,"b":2}'
 */
export function mergeObjects(a: string, b: string): string {
  if (a === '{}') return b;
  if (b === '{}') return a;
  return `${a.slice(0, -1)},${b.slice(1)}`;
}
