import { expect } from 'vitest';
import type { CompiledQuery } from '../../src/index.ts';

interface Compilable {
  compile(): CompiledQuery<unknown>;
}

/**
 * Checks a compiled query is frozen (SQL and params) and binds exactly one parameter per `?`.
 * @example expectFrozenQuery(selectMetrics().name('x').compile());
 */
export function expectFrozenQuery(query: CompiledQuery<unknown>): void {
  expect(Object.isFrozen(query)).toBe(true);
  expect(Object.isFrozen(query.params)).toBe(true);
  expect(query.sql.split('?').length - 1).toBe(query.params.length);
  expect(() => {
    (query.params as unknown[]).push(1);
  }).toThrow(TypeError);
}

/**
 * Checks that each setter returns a new builder and leaves the original's compiled query unchanged.
 * @example expectImmutable(selectMetrics(), [(b) => b.name('x'), (b) => b.limit(5)]);
 */
export function expectImmutable<B extends Compilable>(builder: B, changes: ((b: B) => B)[]): void {
  const before = builder.compile();
  expectFrozenQuery(before);
  for (const change of changes) {
    const changed = change(builder);
    expect(changed).not.toBe(builder);
    const after = changed.compile();
    expectFrozenQuery(after);
    expect(after).not.toEqual(before);
    expect(builder.compile()).toEqual(before);
  }
}
