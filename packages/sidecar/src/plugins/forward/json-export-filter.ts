import { Char, JsonScanner } from '../../otlp/json-scanner.ts';
import type { OtlpSignal } from '../../otlp/otlp-signals.ts';
import type { FilterTests } from './filter-tests.ts';

/** A filtered value: how many items it keeps, and its new text (`undefined` when unchanged). */
type Filtered = { items: number; text?: string };

/** Member names compared without case and underscores (`resourceMetrics` and `resource_metrics` alike). */
const norm = (key: string) => key.replace(/_/g, '').toLowerCase();

/**
 * An OTLP/JSON export request without the resources and metrics `tests` leave out, as JSON text: kept values are
 * copied character for character (64-bit integers keep every digit), only arrays that lost an item are
 * rebuilt. `undefined` when no metric (or, for logs, no resource) is left.
 * @example filterJsonExport(Buffer.from('{"resourceMetrics":[]}'), 'metrics', tests) // undefined
 */
export function filterJsonExport(
  body: Uint8Array,
  signal: OtlpSignal,
  tests: FilterTests,
): Uint8Array | undefined {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const text = bytes.toString('utf8', bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
  const s = new JsonScanner(text);
  const resources = signal === 'metrics' ? 'resourcemetrics' : 'resourcelogs';
  const filterScopes = signal === 'metrics' && tests.byName;
  let out = '';
  let copiedTo = 0;
  let items = 0;
  if (s.objectStart()) {
    do {
      const key = norm(s.key());
      if (key !== resources) {
        s.skipValue();
        continue;
      }
      s.peek();
      const start = s.pos;
      const filtered = filterArray(s, () => filterResource(s, tests, filterScopes));
      items += filtered.items;
      if (filtered.text !== undefined) {
        out += text.slice(copiedTo, start) + filtered.text;
        copiedTo = s.pos;
      }
    } while (s.objectNext());
  }
  if (items === 0) return undefined;
  return Buffer.from(out + text.slice(copiedTo), 'utf8');
}

/** An array whose items `item` filters (`undefined`: leave the item out). */
function filterArray(s: JsonScanner, item: () => Filtered | undefined): Filtered {
  const t = s.text;
  const kept: string[] = [];
  let items = 0;
  let changed = false;
  if (s.arrayStart()) {
    do {
      s.peek();
      const start = s.pos;
      const filtered = item();
      if (filtered === undefined) {
        changed = true;
        continue;
      }
      items += filtered.items;
      if (filtered.text !== undefined) changed = true;
      kept.push(filtered.text ?? t.slice(start, s.pos));
    } while (s.arrayNext());
  }
  return changed ? { items, text: `[${kept.join(',')}]` } : { items };
}

/** One resource entry (`ResourceMetrics`/`ResourceLogs`), kept, rewritten or left out. */
function filterResource(s: JsonScanner, tests: FilterTests, filterScopes: boolean): Filtered | undefined {
  const t = s.text;
  s.peek();
  const start = s.pos;
  let attributes = new Map<string, string>();
  let items = filterScopes ? 0 : 1;
  let out = '';
  let copiedTo = start;
  if (s.objectStart()) {
    do {
      const key = norm(s.key());
      if (key === 'resource' && tests.byResource) attributes = readResourceAttributes(s);
      else if (key === 'scopemetrics' && filterScopes) {
        s.peek();
        const at = s.pos;
        const scopes = filterArray(s, () => filterScope(s, tests));
        items += scopes.items;
        if (scopes.text !== undefined) {
          out += t.slice(copiedTo, at) + scopes.text;
          copiedTo = s.pos;
        }
      } else s.skipValue();
    } while (s.objectNext());
  }
  if (tests.byResource && !tests.keepResource(attributes)) return undefined;
  if (items === 0) return undefined;
  return copiedTo === start ? { items } : { items, text: out + t.slice(copiedTo, s.pos) };
}

/** One `ScopeMetrics` entry without the metrics left out; left out itself when none is kept. */
function filterScope(s: JsonScanner, tests: FilterTests): Filtered | undefined {
  const t = s.text;
  s.peek();
  const start = s.pos;
  let items = 0;
  let out = '';
  let copiedTo = start;
  if (s.objectStart()) {
    do {
      if (norm(s.key()) !== 'metrics') {
        s.skipValue();
        continue;
      }
      s.peek();
      const at = s.pos;
      const metrics = filterArray(s, () => (tests.keepMetric(metricName(s)) ? { items: 1 } : undefined));
      items += metrics.items;
      if (metrics.text !== undefined) {
        out += t.slice(copiedTo, at) + metrics.text;
        copiedTo = s.pos;
      }
    } while (s.objectNext());
  }
  if (items === 0) return undefined;
  return copiedTo === start ? { items } : { items, text: out + t.slice(copiedTo, s.pos) };
}

/** Reads one metric object and returns its `name` ('' without one). */
function metricName(s: JsonScanner): string {
  let name = '';
  if (s.objectStart()) {
    do {
      if (norm(s.key()) === 'name' && s.peek() === Char.Quote) name = s.string();
      else s.skipValue();
    } while (s.objectNext());
  }
  return name;
}

/** Reads a `resource` object and returns its scalar attributes as text. */
function readResourceAttributes(s: JsonScanner): Map<string, string> {
  const out = new Map<string, string>();
  if (s.peek() !== Char.OpenObject) {
    s.skipValue();
    return out;
  }
  if (!s.objectStart()) return out;
  do {
    if (norm(s.key()) !== 'attributes' || s.peek() !== Char.OpenArray) {
      s.skipValue();
      continue;
    }
    if (!s.arrayStart()) continue;
    do {
      let key = '';
      let value: string | undefined;
      if (s.objectStart()) {
        do {
          const k = norm(s.key());
          if (k === 'key' && s.peek() === Char.Quote) key = s.string();
          else if (k === 'value' && s.peek() === Char.OpenObject) value = scalarText(s);
          else s.skipValue();
        } while (s.objectNext());
      }
      if (value !== undefined) out.set(key, value);
    } while (s.arrayNext());
  } while (s.objectNext());
  return out;
}

/** An `AnyValue` object holding a string, bool, int or double, as text (as the protobuf filter renders it). */
function scalarText(s: JsonScanner): string | undefined {
  let value: string | undefined;
  if (!s.objectStart()) return undefined;
  do {
    const k = norm(s.key());
    const c = s.peek();
    if (k === 'stringvalue' && c === Char.Quote) value = s.string();
    else if (k === 'boolvalue' && c !== Char.Quote && c !== Char.OpenObject) value = String(s.bool());
    else if (k === 'intvalue') value = BigInt(c === Char.Quote ? s.string() : s.numberText()).toString();
    else if (k === 'doublevalue' && c !== Char.Quote) value = String(Number(s.numberText()));
    else s.skipValue();
  } while (s.objectNext());
  return value;
}
