import { describe, expect, it } from 'vitest';
import { joinJsonRequests, resourceItemsText } from './json-batch.ts';

describe('joining OTLP/JSON requests', () => {
  it('takes the resource items of requests that hold only them, text for text', () => {
    const a = Buffer.from('\ufeff{ "resourceMetrics" : [ {"x":9007199254740993} , {"y":[]} ] }');
    expect(resourceItemsText(a, 'metrics')).toBe('{"x":9007199254740993} , {"y":[]}');
    expect(resourceItemsText(Buffer.from('{"resourceMetrics":[]}'), 'metrics')).toBe('');
    expect(resourceItemsText(Buffer.from('{}'), 'metrics')).toBe('');
    expect(resourceItemsText(Buffer.from('{"resourceMetrics":[],"extra":1}'), 'metrics')).toBeUndefined();
    expect(resourceItemsText(Buffer.from('{"resource_metrics":[]}'), 'metrics')).toBeUndefined();
    expect(resourceItemsText(Buffer.from('{"resourceLogs":[{}]}'), 'logs')).toBe('{}');
    expect(resourceItemsText(Buffer.from('{"resourceMetrics":[{}]'), 'metrics')).toBeUndefined();
    expect(joinJsonRequests(['{"a":1}', '', '{"b":2}'], 'logs').toString()).toBe(
      '{"resourceLogs":[{"a":1},{"b":2}]}',
    );
  });
});
