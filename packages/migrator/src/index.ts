/**
 * `@duckside/migrator`: schema versioning, imports from PostgreSQL/TimescaleDB, CSV and Parquet behind one `Source`
 * interface with their verification, and Parquet export. The `duckside-migrate` CLI is built on these.
 * @example
 * import { Database } from '@duckside/core';
 * import { Migrator, PostgresSource, runImport } from '@duckside/migrator';
 * await using db = await Database.open({ path: './data/duckside.duckdb', initialize: false });
 * await new Migrator(db).up();
 * await runImport(db, new PostgresSource({ url: 'postgres://reader@tsdb/market', table: 'metrics', preset: 'metrics' }));
 */

// Errors.
export {
  CopyFormatError,
  MappingError,
  MigrationFileError,
  MigratorError,
  type MigratorErrorCode,
  SourceError,
  UsageError,
} from './errors/errors.ts';
// Export.
export {
  exportParquet,
  type ParquetExportOptions,
  type ParquetExportReport,
} from './export/parquet-export.ts';
// Imports: the runner, the sources and what a source of your own implements.
export { FileSource, type FileSourceOptions } from './files/file-source.ts';
export { type ImportOptions, type ImportReport, importResource, runImport } from './import/import-runner.ts';
export type { BadRow, DayTotal, ImportContext, Source, SourceRunResult } from './import/source.ts';
export { type DayComparison, type VerificationReport, verifyImport } from './import/verification.ts';
export { PostgresSource, type PostgresSourceOptions } from './postgres/postgres-source.ts';
export type { FieldSource, MappingOptions } from './targets/mapping.ts';
export type { PresetName } from './targets/presets.ts';
export { type TargetName, type TargetTable, targetTable } from './targets/target-tables.ts';
// Schema versioning.
export {
  type CreatedMigration,
  createMigration,
  type MigrationFormat,
} from './versioning/create-migration.ts';
export { describeProblems, Migrator, type VerifyReport } from './versioning/migrator.ts';
export { loadUserMigrations } from './versioning/user-migrations.ts';
