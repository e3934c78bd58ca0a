import { MalformedBodyError } from '../plugin-api/errors.ts';
import { JsonAttributes } from './json-attributes.ts';
import { JsonFieldReader } from './json-field-reader.ts';
import { Char } from './json-scanner.ts';
import { resourceJson, scopeJson } from './json-text.ts';

/** Which members of an object are data and which are the context the data needs. */
export interface ObjectShape {
  data: readonly string[];
  context: readonly string[];
}

/** How {@link JsonEnvelopeDecoder.contextual} reads an object's members. */
export interface ContextualReaders {
  /** Reads the context member `key`. */
  context(key: string): void;
  /** Makes the context read so far the current one (once, before the first data member). */
  apply(): void;
  /** Reads the data member `key`. */
  data(key: string): void;
}

/** The member names of one signal's request envelope, e.g. `resourceMetrics`, `scopeMetrics`, `metrics`. */
export interface EnvelopeNames {
  resources: string;
  scopes: string;
  items: string;
}

/** Thrown (once) when a context field comes after the data it applies to: the request is read again in two passes. */
const LATE_CONTEXT = new Error('context field after the data it applies to');

/**
 * Runs a decoder in one pass, and again with look-ahead when a context field came after its data.
 * @example return decodeInOneOrTwoPasses((lookAhead) => new JsonLogsDecoder(text, lookAhead).decode());
 */
export function decodeInOneOrTwoPasses<T>(decode: (lookAhead: boolean) => T): T {
  try {
    return decode(false);
  } catch (error) {
    if (error !== LATE_CONTEXT) throw error;
    return decode(true);
  }
}

/**
 * The envelope every OTLP/JSON export request shares, read with a pull scanner: `resource<Signal>` holds a
 * resource, `scope<Signal>` objects and a schema URL; each of those a scope, the items and a schema URL.
 * Context is read before data in one pass when it comes first (as the OpenTelemetry JS SDK writes it), else
 * the request is read again looking ahead (see {@link decodeInOneOrTwoPasses}). Subclasses get the resource
 * and scope as stored JSON text and read the items.
 * @example class MyDecoder extends JsonEnvelopeDecoder { ... } // see JsonLogsDecoder
 */
export abstract class JsonEnvelopeDecoder {
  protected readonly r: JsonFieldReader;
  protected readonly attrs: JsonAttributes;

  constructor(
    text: string,
    /** Read objects whose context may follow their data in two passes. */
    protected readonly lookAhead: boolean,
    private readonly names: EnvelopeNames,
  ) {
    this.r = new JsonFieldReader(text);
    this.attrs = new JsonAttributes(this.r);
  }

  /** Called with the stored resource JSON and its `service.name` attribute (or null). */
  protected abstract enterResource(resource: string, service: string | null): void;
  /** Called with the stored scope JSON and the scope name. */
  protected abstract enterScope(scope: string, name: string): void;
  /** Reads one item (metric, log record) at the cursor. */
  protected abstract item(): void;

  /**
   * Reads the whole request, calling the hooks in order.
   * @throws MalformedBodyError
   */
  protected walk(): void {
    const r = this.r;
    const c = r.peek();
    if (c !== Char.OpenObject)
      throw c === -1 ? r.error('an object') : new MalformedBodyError('the request must be a JSON object');
    if (r.objectStart()) {
      do {
        if (r.key() === this.names.resources) this.each(this.names.resources, () => this.resource());
        else r.skipValue();
      } while (r.objectNext());
    }
    r.end();
  }

  /** `Resource<Signal>`: resource, schemaUrl and the scope objects. */
  private resource(): void {
    const r = this.r;
    let attributes = '{}';
    let service: string | null = null;
    let dropped = 0;
    let schemaUrl = '';
    const shape = { data: [this.names.scopes], context: ['resource', 'schemaUrl'] };
    this.contextual(this.names.resources, shape, {
      context: (key) => {
        if (key === 'schemaUrl') schemaUrl = r.str(key);
        else if (this.objectStart('resource')) {
          do {
            const name = r.key();
            if (name === 'attributes') {
              attributes = this.attrs.list('resource.attributes', 'service.name', false);
              service = this.attrs.promoted;
            } else if (name === 'droppedAttributesCount')
              dropped = r.int32('resource.droppedAttributesCount');
            else r.skipValue();
          } while (r.objectNext());
        }
      },
      apply: () => this.enterResource(resourceJson(attributes.slice(1, -1), dropped, schemaUrl), service),
      data: () => this.each(this.names.scopes, () => this.scope()),
    });
  }

  /** `Scope<Signal>`: scope, schemaUrl and the items. */
  private scope(): void {
    const r = this.r;
    let name = '';
    let version = '';
    let attributes = '{}';
    let dropped = 0;
    let schemaUrl = '';
    const shape = { data: [this.names.items], context: ['scope', 'schemaUrl'] };
    this.contextual(this.names.scopes, shape, {
      context: (key) => {
        if (key === 'schemaUrl') schemaUrl = r.str(key);
        else if (this.objectStart('scope')) {
          do {
            const member = r.key();
            if (member === 'name') name = r.str('scope.name');
            else if (member === 'version') version = r.str('scope.version');
            else if (member === 'attributes') attributes = this.attrs.list('scope.attributes', '', false);
            else if (member === 'droppedAttributesCount') dropped = r.int32('scope.droppedAttributesCount');
            else r.skipValue();
          } while (r.objectNext());
        }
      },
      apply: () =>
        this.enterScope(scopeJson(name, version, attributes.slice(1, -1), dropped, schemaUrl), name),
      data: () => this.each(this.names.items, () => this.item()),
    });
  }

  /**
   * Reads an object whose data members need the context its other members give (a `ResourceMetrics` needs
   * its resource, a `Sum` its temporality...). In a one-pass read, data is read as it comes and a context
   * member after data restarts the request with look-ahead; with look-ahead, data members are read once the
   * whole object is. Other members are skipped.
   */
  protected contextual(field: string, shape: ObjectShape, read: ContextualReaders): void {
    const r = this.r;
    let ready = false;
    const deferred: Array<{ at: number; key: string }> = [];
    const apply = () => {
      if (ready) return;
      ready = true;
      this.checkContext();
      read.apply();
    };
    if (!this.objectStart(field)) return;
    do {
      const key = r.key();
      if (shape.data.includes(key)) {
        if (this.lookAhead) {
          deferred.push({ at: r.pos, key });
          r.skipValue();
        } else {
          apply();
          read.data(key);
        }
      } else if (shape.context.includes(key)) {
        if (ready) throw LATE_CONTEXT;
        read.context(key);
      } else {
        r.skipValue();
      }
    } while (r.objectNext());
    if (deferred.length === 0) return;
    const end = r.pos;
    apply();
    for (const { at, key } of deferred) {
      r.seek(at);
      read.data(key);
    }
    r.seek(end);
  }

  /** Opens a repeated field inside an item: false when absent or empty (another type is an item problem). */
  protected itemsStart(field: string): boolean {
    const r = this.r;
    if (r.null()) return false;
    if (r.peek() !== Char.OpenArray) {
      r.wrongType(field, 'an array');
      return false;
    }
    return r.arrayStart();
  }

  /** Calls `fn` for every item of a repeated message field (null is empty; another type is malformed). */
  protected each(field: string, fn: () => void): void {
    const r = this.r;
    if (r.null()) return;
    const c = r.peek();
    if (c !== Char.OpenArray)
      throw c === -1 ? r.error('an array') : new MalformedBodyError(`${field} must be an array`);
    if (!r.arrayStart()) return;
    do fn();
    while (r.arrayNext());
  }

  /** Opens a message object: false for null (or an empty object); another type is malformed. */
  protected objectStart(field: string): boolean {
    const r = this.r;
    if (r.null()) return false;
    const c = r.peek();
    if (c !== Char.OpenObject)
      throw c === -1 ? r.error('an object') : new MalformedBodyError(`${field} must be an object`);
    return r.objectStart();
  }

  /** A context field with a wrongly typed value makes the request malformed. */
  private checkContext(): void {
    const problem = this.r.problem;
    if (problem) throw new MalformedBodyError(problem);
  }
}
