import { MalformedRequestError } from './errors.ts';
import { bytesJson, doubleJson } from './json-text.ts';
import { base64Field, doubleField, int64Field, listField, objectField, stringField } from './json-values.ts';

const MAX_DEPTH = 32;

/**
 * Turns OTLP/JSON `KeyValue` lists into core's typed JSON text, promoting one string attribute.
 * @example
 * const attrs = new JsonAttributes();
 * attrs.list([{ key: 'symbol', value: { stringValue: 'ETH/USD' } }], 'attributes', 'symbol'); // '{"symbol":"ETH/USD"}'
 * attrs.promoted; // 'ETH/USD'
 */
export class JsonAttributes {
  /** The promoted attribute's value found by the last {@link list}, or null. */
  promoted: string | null = null;
  private depth = 0;

  /** A `repeated KeyValue` field as a JSON object text. */
  list(value: unknown, field: string, promote: string): string {
    const list = listField(value, field);
    this.promoted = null;
    if (list.length === 0) return '{}';
    let out = '{';
    for (let i = 0; i < list.length; i++) {
      const kv = objectField(list[i], field) ?? {};
      const key = stringField(kv.key, `${field}.key`);
      const raw = kv.value;
      const text = this.anyValue(raw, field);
      if (
        key === promote &&
        promote !== '' &&
        typeof (raw as { stringValue?: unknown })?.stringValue === 'string'
      ) {
        this.promoted = (raw as { stringValue: string }).stringValue;
      }
      out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${text}`;
    }
    return `${out}}`;
  }

  private anyValue(raw: unknown, field: string): string {
    const v = objectField(raw, `${field}.value`);
    if (v === undefined) return 'null';
    if (v.stringValue != null) return JSON.stringify(stringField(v.stringValue, `${field}.stringValue`));
    if (v.boolValue != null) {
      if (typeof v.boolValue !== 'boolean')
        throw new MalformedRequestError(`${field}.boolValue must be a boolean`);
      return v.boolValue ? 'true' : 'false';
    }
    if (v.intValue != null) return int64Field(v.intValue, `${field}.intValue`).toString();
    if (v.doubleValue != null) return doubleJson(doubleField(v.doubleValue, `${field}.doubleValue`));
    if (v.arrayValue != null) return this.nested(v.arrayValue, field, false);
    if (v.kvlistValue != null) return this.nested(v.kvlistValue, field, true);
    if (v.bytesValue != null) return bytesJson(base64Field(v.bytesValue, `${field}.bytesValue`));
    return 'null';
  }

  private nested(raw: unknown, field: string, keyed: boolean): string {
    const values = objectField(raw, field)?.values;
    if (++this.depth > MAX_DEPTH)
      throw new MalformedRequestError(`values nested deeper than ${MAX_DEPTH} levels`);
    const promoted = this.promoted;
    try {
      if (keyed) return this.list(values, field, '');
      let out = '[';
      const list = listField(values, field);
      for (let i = 0; i < list.length; i++) out += `${i === 0 ? '' : ','}${this.anyValue(list[i], field)}`;
      return `${out}]`;
    } finally {
      this.depth--;
      this.promoted = promoted;
    }
  }
}
