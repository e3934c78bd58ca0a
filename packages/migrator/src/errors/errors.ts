import { CodedError, withCode } from '@duckside/core';

/** Machine-readable codes of migrator errors (core's `DatabaseError` codes pass through unchanged). */
export type MigratorErrorCode =
  | 'usage'
  | 'source'
  | 'copy_format'
  | 'mapping'
  | 'migration_file'
  | 'bad_rows'
  | 'schema';

/**
 * Base class of the migrator's own errors: `code` is stable, `message` is for people, `cause` keeps the
 * underlying error.
 * @example try { await importPostgres(db, opts); } catch (e) { if (e instanceof MigratorError) console.error(e.code); }
 */
export class MigratorError extends CodedError<MigratorErrorCode> {}

/** The command line was wrong (unknown command or option, missing or malformed value): exit code 2. */
export class UsageError extends withCode(MigratorError, 'usage') {}

/** Reading the import source failed (connection, query, file). */
export class SourceError extends withCode(MigratorError, 'source') {}

/** A PostgreSQL COPY stream was not in the expected binary format. */
export class CopyFormatError extends withCode(MigratorError, 'copy_format') {}

/** A column mapping does not fit the target table or the source (unknown column, required column missing, NULL). */
export class MappingError extends withCode(MigratorError, 'mapping') {}

/** A user migration file or module in `--dir` is malformed. */
export class MigrationFileError extends MigratorError {
  /** The offending file. */
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('migration_file', `${file}: ${message}`, options);
    this.file = file;
  }
}
