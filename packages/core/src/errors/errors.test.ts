import { describe, expect, it } from 'vitest';
import { CodedError } from './coded-error.ts';
import * as errors from './errors.ts';

const cause = new Error('driver said no');

describe('DatabaseError family', () => {
  it.each([
    [new errors.ConnectionError('m', { cause }), 'ConnectionError', 'connection'],
    [new errors.DatabaseLockedError('/data/x.duckdb', 'PID 1', { cause }), 'DatabaseLockedError', 'locked'],
    [new errors.PoolError('m', { cause }), 'PoolError', 'pool'],
    [new errors.QueryError('m', { cause }), 'QueryError', 'query'],
    [new errors.QueryTimeoutError(50, { cause }), 'QueryTimeoutError', 'timeout'],
    [new errors.SchemaError('m', { cause }), 'SchemaError', 'schema'],
    [new errors.MigrationError('m', { cause }), 'MigrationError', 'migration'],
    [new errors.ValidationError('f', 'm', { cause }), 'ValidationError', 'validation'],
    [new errors.WriteError('m', { cause }), 'WriteError', 'write'],
  ])('%s has its name, code and cause', (error, name, code) => {
    expect(error).toBeInstanceOf(errors.DatabaseError);
    expect(error).toBeInstanceOf(CodedError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.cause).toBe(cause);
  });

  it('has codes for overload and close without a cause', () => {
    const overloaded = new errors.OverloadedError('full', 250);
    expect([overloaded.code, overloaded.retryAfterMs, overloaded.name]).toEqual([
      'overloaded',
      250,
      'OverloadedError',
    ]);
    expect(new errors.OverloadedError('full').retryAfterMs).toBe(1000);
    const closed = new errors.ClosedError();
    expect([closed.code, closed.message, closed.name]).toEqual([
      'closed',
      'database is closed',
      'ClosedError',
    ]);
  });

  it('names the locked file and its holder', () => {
    const error = new errors.DatabaseLockedError('/data/x.duckdb', 'PID 42');
    expect(error.message).toContain('/data/x.duckdb');
    expect(error.message).toContain('PID 42');
    expect(error.path).toBe('/data/x.duckdb');
    expect(error.holder).toBe('PID 42');
    expect(new errors.DatabaseLockedError('/a', undefined).message).not.toContain('undefined');
  });

  it('puts the field and row in validation messages', () => {
    expect(new errors.ValidationError('price', 'must be a finite number').message).toBe(
      'price: must be a finite number',
    );
    const row = new errors.ValidationError('price', 'must be a finite number', { index: 0 });
    expect(row.message).toBe('row 0: price: must be a finite number');
    expect([row.field, row.index]).toEqual(['price', 0]);
  });

  it('says the time limit of a timeout', () => {
    expect(new errors.QueryTimeoutError(1500).message).toContain('1500 ms');
  });
});
