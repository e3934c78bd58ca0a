import { describe, expect, it } from 'vitest';
import { compilePromql } from '../compile/compile-promql.ts';
import { PromqlParseError, UnsupportedPromqlError } from './errors.ts';
import { parsePromql } from './parse.ts';

describe('parsePromql', () => {
  it('binds offset and @ to the nearest operand, as Prometheus does', () => {
    const e = parsePromql('a + b offset 5m @ 100');
    expect(e.type).toBe('binary');
    if (e.type !== 'binary') return;
    expect(e.lhs).toMatchObject({ type: 'selector', offset: 0, at: undefined });
    expect(e.rhs).toMatchObject({ type: 'selector', offset: 300_000, at: { kind: 'time', ms: 100_000 } });
  });

  it('reads matchers, ranges and subqueries', () => {
    expect(parsePromql('rate(x{a=~"b.*",c!="d"}[1h30m])')).toMatchObject({
      type: 'call',
      func: 'rate',
      args: [
        {
          type: 'matrix',
          range: 5_400_000,
          selector: {
            matchers: [
              { name: '__name__', op: '=', value: 'x' },
              { name: 'a', op: '=~', value: 'b.*' },
              { name: 'c', op: '!=', value: 'd' },
            ],
          },
        },
      ],
    });
    expect(parsePromql('max_over_time(x[10m:1m])')).toMatchObject({
      args: [{ type: 'subquery', range: 600_000, step: 60_000 }],
    });
  });

  it('refuses invalid PromQL with bad_data', () => {
    for (const q of ['rate(x', '{a=~".*"}', 'x{__name__="y"}', 'sum(x', '1 +']) {
      expect(() => compilePromql(q, { time: 0 }), q).toThrow(PromqlParseError);
    }
    expect(() => compilePromql('rate(x)', { time: 0 })).toThrow(/range vector/);
    expect(() => compilePromql('x[5m]', { start: 0, end: 1, step: 1 })).toThrow(/range query/);
  });

  it('names unsupported constructs instead of answering', () => {
    for (const [q, construct] of [
      ['histogram_count(x)', 'function "histogram_count"'],
      ['double_exponential_smoothing(x[5m], 0.5, 0.5)', 'function "double_exponential_smoothing"'],
      ['topk(scalar(y), x)', 'non-literal parameter of "topk"'],
      ['x[5m + 1m]', 'duration expression'],
    ] as const) {
      let error: unknown;
      try {
        compilePromql(q, { time: 0 });
      } catch (e) {
        error = e;
      }
      expect(error, q).toBeInstanceOf(UnsupportedPromqlError);
      expect((error as UnsupportedPromqlError).code).toBe('bad_data');
      expect((error as UnsupportedPromqlError).construct).toContain(construct);
    }
  });
});
