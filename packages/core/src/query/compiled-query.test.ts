import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.ts';
import { ValidationError } from '../errors/errors.ts';
import { checkCount, checkLimit, checkText, labelPointer } from './builder-base.ts';
import { compiled, quoteIdent } from './compiled-query.ts';
import { checkTable, DATA_TABLES } from './tables.ts';

describe('compiled', () => {
  it('freezes the query and a copy of its parameters', () => {
    const params = ['a', 1];
    const query = compiled('SELECT ?, ?', params);
    params.push('changed');
    expect(query).toEqual({ sql: 'SELECT ?, ?', params: ['a', 1] });
    expect(Object.isFrozen(query)).toBe(true);
    expect(Object.isFrozen(query.params)).toBe(true);
  });
});

describe('quoteIdent', () => {
  it('quotes and doubles embedded quotes', () => {
    expect(quoteIdent('trading_metrics')).toBe('"trading_metrics"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});

describe('checkTable', () => {
  it('accepts only the data tables', async () => {
    for (const table of DATA_TABLES) expect(checkTable(table)).toBe(table);
    for (const bad of ['duckside_migrations', 'TRADING_METRICS', '"trading_metrics"', 'trading_metrics;']) {
      expect((await errorOf(ValidationError, () => checkTable(bad))).field).toBe('table');
    }
  });
});

describe('builder helpers', () => {
  it('escapes label keys as JSON pointers', () => {
    expect(labelPointer('exchange')).toBe('/exchange');
    expect(labelPointer('a/b~c')).toBe('/a~1b~0c');
  });

  it('bounds limits and text filters', async () => {
    expect(checkLimit(10)).toBe(10);
    expect((await errorOf(ValidationError, () => checkLimit(11, 10))).field).toBe('limit');
    expect(checkCount('maxBuckets', 3, 3)).toBe(3);
    for (const bad of [0, -1, 1.5, 4, Number.NaN]) {
      expect((await errorOf(ValidationError, () => checkCount('maxBuckets', bad, 3))).field).toBe(
        'maxBuckets',
      );
    }
    expect(checkText('f', 'ok')).toBe('ok');
    expect((await errorOf(ValidationError, () => checkText('f', 'x'.repeat(11), 10))).field).toBe('f');
    expect((await errorOf(ValidationError, () => checkText('f', 1 as unknown as string))).field).toBe('f');
  });
});
