export { type CliIo, main } from './cli/main.ts';
export { type ProgressOutput, ProgressReporter } from './cli/progress.ts';
export {
  CopyFormatError,
  MappingError,
  MigrationFileError,
  MigratorError,
  type MigratorErrorCode,
  SourceError,
  UsageError,
} from './errors.ts';
export {
  exportParquet,
  type ParquetExportOptions,
  type ParquetExportReport,
} from './export/parquet-export.ts';
export { FileSource, type FileSourceOptions } from './files/file-source.ts';
export { type ImportOptions, type ImportReport, importResource, runImport } from './import/import-runner.ts';
export type { BadRow, DayTotal, ImportContext, Source, SourceRunResult } from './import/source.ts';
export { type DayComparison, type VerificationReport, verifyImport } from './import/verification.ts';
export { readWatermark, WATERMARKS_TABLE, type Watermark, writeWatermark } from './import/watermarks.ts';
export { BinaryCopyParser, type RowHandler } from './postgres/binary-copy-parser.ts';
export { PostgresSource, type PostgresSourceOptions } from './postgres/postgres-source.ts';
export {
  type FieldSource,
  type MappingOptions,
  parsePairs,
  type ResolvedMapping,
  resolveMapping,
} from './targets/mapping.ts';
export { PRESETS, type Preset, type PresetName, presetFor } from './targets/presets.ts';
export {
  type FieldType,
  TARGETS,
  type TargetField,
  type TargetName,
  type TargetTable,
  targetTable,
} from './targets/target-tables.ts';
export {
  type CreatedMigration,
  createMigration,
  type MigrationFormat,
} from './versioning/create-migration.ts';
export { describeProblems, Migrator, type VerifyReport } from './versioning/migrator.ts';
export { loadUserMigrations } from './versioning/user-migrations.ts';
