import { describe, expect, it } from 'vitest';
import {
  ClosedError,
  ConnectionError,
  DatabaseError,
  DatabaseLockedError,
  MigrationError,
  OverloadedError,
  PoolError,
  QueryError,
  QueryTimeoutError,
  SchemaError,
  ValidationError,
  WriteError,
} from './errors.ts';

const cause = new Error('driver said no');

describe('DatabaseError family', () => {
  it.each([
    [new ConnectionError('m', { cause }), 'ConnectionError', 'connection'],
    [new DatabaseLockedError('/data/x.duckdb', 'PID 1', { cause }), 'DatabaseLockedError', 'locked'],
    [new PoolError('m', { cause }), 'PoolError', 'pool'],
    [new QueryError('m', { cause }), 'QueryError', 'query'],
    [new QueryTimeoutError(50, { cause }), 'QueryTimeoutError', 'timeout'],
    [new SchemaError('m', { cause }), 'SchemaError', 'schema'],
    [new MigrationError('m', { cause }), 'MigrationError', 'migration'],
    [new ValidationError('f', 'm', { cause }), 'ValidationError', 'validation'],
    [new WriteError('m', { cause }), 'WriteError', 'write'],
  ])('%s has its name, code and cause', (error, name, code) => {
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.cause).toBe(cause);
  });

  it('has codes for overload and close without a cause', () => {
    const overloaded = new OverloadedError('full', 250);
    expect([overloaded.code, overloaded.retryAfterMs, overloaded.name]).toEqual([
      'overloaded',
      250,
      'OverloadedError',
    ]);
    expect(new OverloadedError('full').retryAfterMs).toBe(1000);
    const closed = new ClosedError();
    expect([closed.code, closed.message, closed.name]).toEqual([
      'closed',
      'database is closed',
      'ClosedError',
    ]);
  });

  it('names the locked file and its holder', () => {
    const error = new DatabaseLockedError('/data/x.duckdb', 'PID 42');
    expect(error.message).toContain('/data/x.duckdb');
    expect(error.message).toContain('PID 42');
    expect(error.path).toBe('/data/x.duckdb');
    expect(error.holder).toBe('PID 42');
    expect(new DatabaseLockedError('/a', undefined).message).not.toContain('undefined');
  });

  it('puts the field and row in validation messages', () => {
    expect(new ValidationError('price', 'must be a finite number').message).toBe(
      'price: must be a finite number',
    );
    const row = new ValidationError('price', 'must be a finite number', { index: 0 });
    expect(row.message).toBe('row 0: price: must be a finite number');
    expect([row.field, row.index]).toEqual(['price', 0]);
  });

  it('says the time limit of a timeout', () => {
    expect(new QueryTimeoutError(1500).message).toContain('1500 ms');
  });
});
