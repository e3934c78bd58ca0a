import { expect } from 'vitest';

/**
 * Runs `fn` (sync or async), checks that it threw or rejected with an instance of `type`, and returns the error.
 * @example const e = await errorOf(ValidationError, () => new MetricRecord('', 1)); expect(e.field).toBe('name');
 */
export async function errorOf<T>(type: abstract new (...args: never[]) => T, fn: () => unknown): Promise<T> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected ${type.name} but nothing was thrown`);
  expect(error).toBeInstanceOf(type);
  return error as T;
}
