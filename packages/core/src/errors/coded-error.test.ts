import { describe, expect, it } from 'vitest';
import { CodedError, withCode } from './coded-error.ts';

class ExampleError extends CodedError<'first' | 'second'> {}
class SecondError extends withCode(ExampleError, 'second') {}

const cause = new Error('below');

describe('CodedError', () => {
  it.each([
    [new ExampleError('first', 'it failed', { cause }), 'ExampleError', 'first'],
    [new SecondError('it failed', { cause }), 'SecondError', 'second'],
  ])('%s carries its code, message and cause, and is named after its class', (error, name, code) => {
    expect([error.name, error.code, error.message, error.cause]).toEqual([name, code, 'it failed', cause]);
    expect(String(error)).toBe(`${name}: it failed`);
    expect(error).toBeInstanceOf(ExampleError);
    expect(error).toBeInstanceOf(Error);
  });

  it('makes a class of one fixed code that is an instance of itself', () => {
    expect(new SecondError('m')).toBeInstanceOf(SecondError);
    expect(new ExampleError('second', 'm')).not.toBeInstanceOf(SecondError);
  });
});
