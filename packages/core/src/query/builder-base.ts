import { ValidationError } from '../errors.ts';
import { parseTimestamp, type TimestampInput } from '../time.ts';
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
 * Converts a time input to the text DuckDB casts to TIMESTAMP (`?::TIMESTAMP`), microsecond precision.
 * @example sqlTimestamp('2024-01-01T00:00:00Z') // '2024-01-01 00:00:00.000000'
 */
export function sqlTimestamp(input: TimestampInput, field = 'time'): string {
  const nanos = parseTimestamp(input, field);
  const iso = new Date(Number(nanos / 1_000_000n)).toISOString();
  const micros = ((nanos / 1000n) % 1_000_000n).toString().padStart(6, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${micros}`;
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

/** Checks a row limit is a positive integer no larger than `max`. */
export function checkLimit(limit: number, max = 1_000_000): number {
  if (!Number.isInteger(limit) || limit <= 0 || limit > max) {
    throw new ValidationError('limit', `must be an integer from 1 to ${max}`);
  }
  return limit;
}

/** Checks text filter values (no NUL, bounded length). */
export function checkText(field: string, value: string, max = 1024): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.includes('\u0000')) {
    throw new ValidationError(field, `must be 1..${max} characters without NUL`);
  }
  return value;
}
