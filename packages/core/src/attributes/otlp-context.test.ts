import { describe, expect, it } from 'vitest';
import {
  decodeExemplars,
  decodeResource,
  decodeScope,
  type Exemplar,
  encodeExemplars,
  encodeResource,
  encodeScope,
  type ResourceInfo,
  type ScopeInfo,
} from './otlp-context.ts';

describe('OTLP context columns', () => {
  it('round-trips a resource with typed attributes', () => {
    const resource: ResourceInfo = {
      attributes: {
        'service.name': 'oms',
        'host.cpu': 8n,
        ratio: 0.25,
        tags: ['a', 1n],
        raw: new Uint8Array([9]),
      },
      droppedAttributesCount: 2,
      schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
    };
    const text = encodeResource(resource);
    expect(JSON.parse(text).attributes['service.name']).toBe('oms');
    expect(decodeResource(text)).toEqual(resource);
  });

  it('round-trips a scope', () => {
    const scope: ScopeInfo = {
      name: '@duckside/otel-exporter',
      version: '0.1.0',
      attributes: { 'scope.kind': 'meter' },
      droppedAttributesCount: 0,
      schemaUrl: '',
    };
    expect(decodeScope(encodeScope(scope))).toEqual(scope);
  });

  it('decodes empty columns to empty values', () => {
    expect(decodeResource('{}')).toEqual({ attributes: {}, droppedAttributesCount: 0, schemaUrl: '' });
    expect(decodeScope('{}')).toEqual({
      name: '',
      version: '',
      attributes: {},
      droppedAttributesCount: 0,
      schemaUrl: '',
    });
  });

  it('round-trips exemplars with int and double values and nanosecond times', () => {
    const exemplars: Exemplar[] = [
      {
        timeUnixNano: 1_704_164_645_123_456_789n,
        value: 42n,
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        filteredAttributes: { 'http.route': '/orders' },
      },
      { timeUnixNano: 1n, value: 2.5, traceId: '', spanId: '', filteredAttributes: {} },
      { timeUnixNano: 2n, value: 3, traceId: '', spanId: '', filteredAttributes: {} },
    ];
    const text = encodeExemplars(exemplars);
    expect(text?.startsWith('[')).toBe(true);
    const decoded = decodeExemplars(text);
    expect(decoded).toEqual(exemplars);
    expect(typeof decoded[2]?.value).toBe('number');
  });

  it('stores no exemplars as null', () => {
    expect(encodeExemplars([])).toBeNull();
    expect(decodeExemplars(null)).toEqual([]);
  });
});
