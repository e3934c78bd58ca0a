import { describe, expect, it } from 'vitest';
import { formatSampleValue, toPrometheusData } from './result.ts';

describe('formatSampleValue (Go strconv.FormatFloat(v, f, -1, 64))', () => {
  it.each([
    [1, '1'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-1.234e-10, '-0.0000000001234'],
    [123456789012345680000, '123456789012345680000'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [-0, '-0'],
  ])('%s -> %s', (value, text) => {
    expect(formatSampleValue(value)).toBe(text);
  });

  it('shapes results as the HTTP API does', () => {
    expect(
      toPrometheusData({ resultType: 'vector', result: [{ metric: { a: 'b' }, time: 1_500, value: 0.5 }] }),
    ).toEqual({ resultType: 'vector', result: [{ metric: { a: 'b' }, value: [1.5, '0.5'] }] });
    expect(toPrometheusData({ resultType: 'scalar', result: [2_000, Number.NaN] })).toEqual({
      resultType: 'scalar',
      result: [2, 'NaN'],
    });
  });
});
