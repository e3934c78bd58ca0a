import { encodeResource, encodeScope } from '@duckside/core/ingest';
import { toTypedAttributes } from './typed-attributes.ts';

/** The parts of an SDK `Resource` the exporter reads (the same in SDK 2.x and 3.x). */
export interface ResourceLike {
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly schemaUrl?: string | undefined;
}

/** The parts of an SDK `InstrumentationScope` the exporter reads; attributes exist in newer SDKs only. */
export interface ScopeLike {
  readonly name: string;
  readonly version?: string | undefined;
  readonly schemaUrl?: string | undefined;
  readonly attributes?: Readonly<Record<string, unknown>> | undefined;
  readonly droppedAttributesCount?: number | undefined;
}

/**
 * The `resource` column text for an SDK resource, as the OTLP receiver stores the same resource
 * (the SDK never drops resource attributes, so `droppedAttributesCount` is 0).
 * @example resourceColumn(resourceFromAttributes({ 'service.name': 'oms' }))
 */
export function resourceColumn(resource: ResourceLike): string {
  return encodeResource({
    attributes: toTypedAttributes(resource.attributes),
    droppedAttributesCount: 0,
    schemaUrl: resource.schemaUrl ?? '',
  });
}

/**
 * The `scope` column text for an SDK instrumentation scope.
 * @example scopeColumn({ name: 'orders', version: '1.2.0' })
 */
export function scopeColumn(scope: ScopeLike): string {
  return encodeScope({
    name: scope.name,
    version: scope.version ?? '',
    attributes: toTypedAttributes(scope.attributes),
    droppedAttributesCount: scope.droppedAttributesCount ?? 0,
    schemaUrl: scope.schemaUrl ?? '',
  });
}

/**
 * The `service` column: the resource's `service.name` when it is a string, else null.
 * @example serviceOf({ attributes: { 'service.name': 'oms' } }) // 'oms'
 */
export function serviceOf(resource: ResourceLike): string | null {
  const name = resource.attributes['service.name'];
  return typeof name === 'string' ? name : null;
}
