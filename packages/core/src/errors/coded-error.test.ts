import { describe, expect, it } from 'vitest';
import { CodedError, withCode } from './coded-error.ts';

class ExampleError extends CodedError<'first' | 'second'> {}
class SecondError extends withCode(ExampleError, 'second') {}

describe('CodedError', () => {
  it('carries its code, message and cause, and is named after its class', () => {
    const cause = new Error('below');
    const error = new ExampleError('first', 'it failed', { cause });
    expect([error.name, error.code, error.message, error.cause]).toEqual([
      'ExampleError',
      'first',
      'it failed',
      cause,
    ]);
    expect(error).toBeInstanceOf(Error);
  });

  it('makes a class of one fixed code that is an instance of its base and of itself', () => {
    const cause = new Error('below');
    const error = new SecondError('it failed again', { cause });
    expect([error.name, error.code, error.message, error.cause]).toEqual([
      'SecondError',
      'second',
      'it failed again',
      cause,
    ]);
    expect(error).toBeInstanceOf(SecondError);
    expect(error).toBeInstanceOf(ExampleError);
    expect(new ExampleError('second', 'm')).not.toBeInstanceOf(SecondError);
    expect(String(error)).toBe('SecondError: it failed again');
  });
});
