import { type Attributes, type AttributeValue, decodeAttributes, encodeAttributes } from './attributes.ts';

/** An OTLP resource as stored in the `resource` column. */
export interface ResourceInfo {
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
}

/** An OTLP instrumentation scope as stored in the `scope` column. */
export interface ScopeInfo {
  name: string;
  version: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
}

/** An exemplar as stored in the `exemplars` column. Trace and span ids are lowercase hex ('' when absent). */
export interface Exemplar {
  timeUnixNano: bigint;
  /** bigint when the exemplar was an int. */
  value: number | bigint;
  traceId: string;
  spanId: string;
  filteredAttributes: Attributes;
}

/**
 * Encodes a resource for the `resource` column (typed JSON, see `encodeAttributes`).
 * @example encodeResource({ attributes: { 'service.name': 'oms' }, droppedAttributesCount: 0, schemaUrl: '' })
 */
export function encodeResource(resource: ResourceInfo): string {
  return encodeAttributes({
    attributes: resource.attributes,
    droppedAttributesCount: BigInt(resource.droppedAttributesCount),
    schemaUrl: resource.schemaUrl,
  });
}

/** Decodes the `resource` column. */
export function decodeResource(text: string): ResourceInfo {
  const o = decodeAttributes(text);
  return {
    attributes: (o.attributes ?? {}) as Attributes,
    droppedAttributesCount: Number(o.droppedAttributesCount ?? 0n),
    schemaUrl: String(o.schemaUrl ?? ''),
  };
}

/** Encodes a scope for the `scope` column. */
export function encodeScope(scope: ScopeInfo): string {
  return encodeAttributes({
    name: scope.name,
    version: scope.version,
    attributes: scope.attributes,
    droppedAttributesCount: BigInt(scope.droppedAttributesCount),
    schemaUrl: scope.schemaUrl,
  });
}

/** Decodes the `scope` column. */
export function decodeScope(text: string): ScopeInfo {
  const o = decodeAttributes(text);
  return {
    name: String(o.name ?? ''),
    version: String(o.version ?? ''),
    attributes: (o.attributes ?? {}) as Attributes,
    droppedAttributesCount: Number(o.droppedAttributesCount ?? 0n),
    schemaUrl: String(o.schemaUrl ?? ''),
  };
}

/**
 * Encodes exemplars for the `exemplars` column; null for none.
 * @example encodeExemplars([]) // null
 */
export function encodeExemplars(exemplars: readonly Exemplar[]): string | null {
  if (exemplars.length === 0) return null;
  const list: AttributeValue[] = exemplars.map((e) => ({
    timeUnixNano: e.timeUnixNano,
    value: e.value,
    traceId: e.traceId,
    spanId: e.spanId,
    filteredAttributes: e.filteredAttributes,
  }));
  return encodeAttributes({ list }).slice('{"list":'.length, -1);
}

/** Decodes the `exemplars` column. */
export function decodeExemplars(text: string | null): Exemplar[] {
  if (!text) return [];
  const list = decodeAttributes(`{"list":${text}}`).list as Attributes[];
  return list.map((e) => ({
    timeUnixNano: e.timeUnixNano as bigint,
    value: e.value as number | bigint,
    traceId: String(e.traceId ?? ''),
    spanId: String(e.spanId ?? ''),
    filteredAttributes: (e.filteredAttributes ?? {}) as Attributes,
  }));
}
