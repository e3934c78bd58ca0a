import type { OtlpSignal } from '../../otlp/otlp-signals.ts';
import { bytesField } from '../../otlp/protobuf-writer.ts';
import { WireReader, WireType } from '../../otlp/wire-reader.ts';
import type { FilterTests } from './filter-tests.ts';

const LEN = (field: number) => (field << 3) | WireType.Len;
/** `resource_metrics` / `resource_logs` (1) in the request; `resource` (1) and `scope_*` (2) in it. */
const RESOURCES = LEN(1);
const RESOURCE = LEN(1);
const SCOPES = LEN(2);
/** `metrics` (2) in `ScopeMetrics`; `name` (1) in `Metric`. */
const METRIC = LEN(2);
const NAME = LEN(1);

/**
 * An OTLP/protobuf `Export*ServiceRequest` without the resources and metrics `tests` leave out: kept fields are
 * copied byte for byte and only the messages that lost a child are re-framed. `undefined` when no metric (or,
 * for logs, no resource) is left. The body was decoded by the receiver already, so it is well-formed.
 * @example filterProtobufExport(body, 'metrics', tests)
 */
export function filterProtobufExport(
  body: Uint8Array,
  signal: OtlpSignal,
  tests: FilterTests,
): Uint8Array | undefined {
  const r = new WireReader(body);
  const parts: Uint8Array[] = [];
  let kept = 0;
  while (r.pos < r.length) {
    const start = r.pos;
    const tag = r.varint32();
    if (tag !== RESOURCES) {
      r.skip(tag);
      parts.push(body.subarray(start, r.pos));
      continue;
    }
    const end = r.lengthEnd(r.length);
    const resource = filterResource(r, end, signal, tests);
    r.pos = end;
    if (resource === undefined) continue;
    kept += resource.items;
    parts.push(
      resource.bytes === undefined ? body.subarray(start, end) : bytesField(1, resource.bytes, true),
    );
  }
  return kept === 0 ? undefined : Buffer.concat(parts);
}

/** One `Resource*` message: dropped (`undefined`), kept as is (`bytes` undefined) or rewritten. */
function filterResource(
  r: WireReader,
  end: number,
  signal: OtlpSignal,
  tests: FilterTests,
): { items: number; bytes?: Uint8Array } | undefined {
  const parts: Uint8Array[] = [];
  let changed = false;
  let items = 0;
  let attributes: Map<string, string> = new Map();
  while (r.pos < end) {
    const start = r.pos;
    const tag = r.varint32();
    if (tag === RESOURCE && tests.byResource) {
      const stop = r.lengthEnd(end);
      attributes = readAttributes(r, stop);
      r.pos = stop;
    } else if (tag === SCOPES && signal === 'metrics' && tests.byName) {
      const stop = r.lengthEnd(end);
      const scope = filterScope(r, stop, tests);
      r.pos = stop;
      items += scope.items;
      if (scope.bytes === undefined) parts.push(r.buf.subarray(start, stop));
      else {
        changed = true;
        if (scope.items > 0) parts.push(bytesField(2, scope.bytes, true));
      }
      continue;
    } else r.skip(tag);
    parts.push(r.buf.subarray(start, r.pos));
  }
  if (tests.byResource && !tests.keepResource(attributes)) return undefined;
  // Only metric names are counted; a resource kept by its attributes alone counts as one item.
  if (!tests.byName || signal === 'logs') items = 1;
  if (items === 0) return undefined;
  return changed ? { items, bytes: Buffer.concat(parts) } : { items };
}

/** One `ScopeMetrics` message without the metrics left out; `bytes` undefined when none was. */
function filterScope(r: WireReader, end: number, tests: FilterTests): { items: number; bytes?: Uint8Array } {
  const parts: Uint8Array[] = [];
  let items = 0;
  let changed = false;
  while (r.pos < end) {
    const start = r.pos;
    const tag = r.varint32();
    r.skip(tag);
    if (tag === METRIC) {
      if (!tests.keepMetric(metricName(r, start, r.pos))) {
        changed = true;
        continue;
      }
      items++;
    }
    parts.push(r.buf.subarray(start, r.pos));
  }
  return changed ? { items, bytes: Buffer.concat(parts) } : { items };
}

/** The `name` of the `Metric` field whose tag starts at `start` and which ends at `end`. */
function metricName(outer: WireReader, start: number, end: number): string {
  const r = new WireReader(outer.buf.subarray(start, end));
  r.varint32();
  const stop = r.lengthEnd(r.length);
  while (r.pos < stop) {
    const tag = r.varint32();
    if (tag === NAME) {
      const nameEnd = r.lengthEnd(stop);
      return r.text(r.pos, nameEnd);
    }
    r.skip(tag);
  }
  return '';
}

/** A `Resource`'s attributes whose values are scalars, as text (`true`, `42`, `0.5`, or the string). */
function readAttributes(r: WireReader, end: number): Map<string, string> {
  const out = new Map<string, string>();
  while (r.pos < end) {
    const tag = r.varint32();
    if (tag !== LEN(1)) {
      r.skip(tag);
      continue;
    }
    const kvEnd = r.lengthEnd(end);
    let key = '';
    let value: string | undefined;
    while (r.pos < kvEnd) {
      const t = r.varint32();
      if (t === LEN(1)) {
        const stop = r.lengthEnd(kvEnd);
        key = r.text(r.pos, stop);
        r.pos = stop;
      } else if (t === LEN(2)) {
        const stop = r.lengthEnd(kvEnd);
        value = scalarText(r, stop);
        r.pos = stop;
      } else r.skip(t);
    }
    if (value !== undefined) out.set(key, value);
  }
  return out;
}

/** An `AnyValue` holding a string, bool, int or double, as text; `undefined` for arrays, kvlists and bytes. */
function scalarText(r: WireReader, end: number): string | undefined {
  let value: string | undefined;
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case LEN(1): {
        const stop = r.lengthEnd(end);
        value = r.text(r.pos, stop);
        r.pos = stop;
        break;
      }
      case (2 << 3) | WireType.Varint:
        value = r.varint32() === 0 ? 'false' : 'true';
        break;
      case (3 << 3) | WireType.Varint:
        r.varint64();
        value = BigInt.asIntN(64, (BigInt(r.hi) << 32n) | BigInt(r.lo)).toString();
        break;
      case (4 << 3) | WireType.Fixed64:
        value = String(r.double());
        break;
      default:
        r.skip(tag);
        value = undefined;
    }
  }
  return value;
}
