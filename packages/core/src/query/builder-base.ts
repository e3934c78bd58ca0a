import { ValidationError } from '../errors/errors.ts';
import type { SqlParam } from './compiled-query.ts';

/**
 * Base of the immutable query builders: state is a frozen object and every setter returns a new builder.
 */
export abstract class ImmutableBuilder<S extends object> {
  protected readonly state: Readonly<S>;
  constructor(state: S) {
    this.state = Object.freeze({ ...state });
    Object.freeze(this);
  }

  /** Returns a new builder of the same class with `patch` applied. */
  protected with(patch: Partial<S>): this {
    const Ctor = this.constructor as new (state: S) => this;
    return new Ctor({ ...this.state, ...patch });
  }
}

/** Accumulates WHERE clauses and their bound parameters. */
export class WhereClause {
  readonly clauses: string[] = [];
  readonly params: SqlParam[] = [];

  /** Adds `sql` (with `?` placeholders) and its parameters. */
  add(sql: string, ...params: SqlParam[]): this {
    this.clauses.push(sql);
    this.params.push(...params);
    return this;
  }

  /** ` WHERE a AND b`, or '' without clauses. */
  toSql(): string {
    return this.clauses.length === 0 ? '' : ` WHERE ${this.clauses.join(' AND ')}`;
  }
}

/**
 * A JSON pointer to a top-level key (RFC 6901 escaping), for `json_extract_string(attributes, ?)`.
 * @example labelPointer('a/b') // '/a~1b'
 */
export function labelPointer(key: string): string {
  if (key.length === 0 || key.length > 256 || key.includes('\u0000')) {
    throw new ValidationError('label', 'label keys must be 1..256 characters without NUL');
  }
  return `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/**
 * Checks a count (a row limit, a bucket bound) is an integer from 1 to `max`.
 * @example checkCount('maxBuckets', 500) // 500
 */
export function checkCount(field: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value <= 0 || value > max) {
    throw new ValidationError(field, `must be an integer from 1 to ${max}`);
  }
  return value;
}

/**
 * Checks a row limit is a positive integer no larger than `max`.
 * @example checkLimit(100) // 100
 */
export function checkLimit(limit: number, max = 1_000_000): number {
  return checkCount('limit', limit, max);
}

/**
 * Checks text filter values (no NUL, bounded length).
 * @example checkText('symbol', 'BTC/USD') // 'BTC/USD'
 */
export function checkText(field: string, value: string, max = 1024): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.includes('\u0000')) {
    throw new ValidationError(field, `must be 1..${max} characters without NUL`);
  }
  return value;
}
