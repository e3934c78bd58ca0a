import { CodedError, withCode } from './coded-error.ts';

/** Machine-readable error codes used across Duckside; the sidecar maps them to HTTP statuses. */
export type DatabaseErrorCode =
  | 'connection'
  | 'locked'
  | 'pool'
  | 'query'
  | 'timeout'
  | 'schema'
  | 'migration'
  | 'validation'
  | 'overloaded'
  | 'write'
  | 'closed';

/**
 * Base class of every error raised by `@duckside/core`. `message` is meant for end users and never
 * contains SQL; the driver error, when any, is kept in `cause`.
 * @example
 * try { await db.insertMetric(m); } catch (e) { if (e instanceof DatabaseError) console.log(e.code); }
 */
export class DatabaseError extends CodedError<DatabaseErrorCode> {}

/** Opening the database or a connection failed. */
export class ConnectionError extends withCode(DatabaseError, 'connection') {}

/** The database file is held by another process (DuckDB allows one writer process per file). */
export class DatabaseLockedError extends DatabaseError {
  /** The file that is locked. */
  readonly path: string;
  /** What DuckDB reported about the holder, e.g. `PID 1234`, when known. */
  readonly holder: string | undefined;
  constructor(path: string, holder: string | undefined, options?: { cause?: unknown }) {
    super(
      'locked',
      `database file ${path} is locked by another process${holder ? ` (${holder})` : ''}; ` +
        'stop that process (a running sidecar or migration) or use another file',
      options,
    );
    this.path = path;
    this.holder = holder;
  }
}

/** The connection pool could not hand out a connection in time. */
export class PoolError extends withCode(DatabaseError, 'pool') {}

/** A query failed. The message is generic; the driver error is in `cause`. */
export class QueryError extends withCode(DatabaseError, 'query') {}

/** A query ran longer than its time limit and was interrupted. */
export class QueryTimeoutError extends DatabaseError {
  constructor(limitMs: number, options?: { cause?: unknown }) {
    super('timeout', `query exceeded its time limit of ${limitMs} ms and was interrupted`, options);
  }
}

/** The schema is missing or differs from the expected version. */
export class SchemaError extends withCode(DatabaseError, 'schema') {}

/** Applying or rolling back a migration failed, or the applied list is inconsistent. */
export class MigrationError extends withCode(DatabaseError, 'migration') {}

/** Input was rejected; `field` names the offending field (dotted path), `index` the row when known. */
export class ValidationError extends DatabaseError {
  readonly field: string;
  readonly index: number | undefined;
  constructor(field: string, message: string, options?: { cause?: unknown; index?: number }) {
    super(
      'validation',
      `${options?.index !== undefined ? `row ${options.index}: ` : ''}${field}: ${message}`,
      options,
    );
    this.field = field;
    this.index = options?.index;
  }
}

/** The write queue is full; retry later. `retryAfterMs` is a hint. */
export class OverloadedError extends DatabaseError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs = 1000) {
    super('overloaded', message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The database was closed. */
export class ClosedError extends DatabaseError {
  constructor(message = 'database is closed') {
    super('closed', message);
  }
}

/** A write failed for a reason a retry may fix (disk full, I/O); nothing of it was stored. */
export class WriteError extends withCode(DatabaseError, 'write') {}
