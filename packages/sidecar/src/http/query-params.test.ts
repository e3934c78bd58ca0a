import { ValidationError } from '@duckside/core';
import { describe, expect, it } from 'vitest';
import { QueryParams } from './query-params.ts';

const parse = (qs: string, allowed: string[], labels = false) =>
  QueryParams.parse(new URL(`http://x/?${qs}`), allowed, { labels });

describe('QueryParams', () => {
  it('reads allowed parameters and label filters', () => {
    const p = parse('name=a&limit=10&label.exchange=kraken&label.a%2Fb=1', ['name', 'limit'], true);
    expect(p.string('name')).toBe('a');
    expect(p.int('limit')).toBe(10);
    expect(p.string('missing')).toBeUndefined();
    expect(p.labels).toEqual({ exchange: 'kraken', 'a/b': '1' });
  });

  it('refuses unknown, repeated and malformed parameters naming them', () => {
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).field;
      }
      return undefined;
    };
    expect(field(() => parse('nme=a', ['name']))).toBe('nme');
    expect(field(() => parse('name=a&name=b', ['name']))).toBe('name');
    expect(field(() => parse('label.x=1', ['name']))).toBe('label.x');
    expect(field(() => parse('label.=1', ['name'], true))).toBe('label.');
    expect(field(() => parse('limit=1e3', ['limit']).int('limit'))).toBe('limit');
    expect(field(() => parse('order=up', ['order']).choice('order', ['asc', 'desc']))).toBe('order');
    expect(field(() => parse('g=a,c', ['g']).list('g', ['a', 'b']))).toBe('g');
    expect(field(() => parse('', ['name']).required('name'))).toBe('name');
  });
});
