/**
 * `@duckside/core/schema`: the built-in migrations, the runner that applies them and the verifier that compares a
 * database with them — what the migrator builds its versioning on.
 * @example
 * import { BUILTIN_MIGRATIONS, MigrationRunner } from '@duckside/core/schema';
 * await db.withConnection((c) => new MigrationRunner(c, BUILTIN_MIGRATIONS).status());
 */
export { BUILTIN_MIGRATIONS, BUILTIN_VERSIONS, USER_VERSIONS } from '../schema/builtin-migrations.ts';
export type { Migration, VersionRange } from '../schema/migration.ts';
export {
  type AppliedMigration,
  checksumOf,
  type MigrateOptions,
  MigrationRunner,
  type MigrationStatus,
  type MigrationStep,
  type RunnerOptions,
} from '../schema/migration-runner.ts';
export { type SchemaDifference, type SchemaReport, verifySchema } from '../schema/schema-verifier.ts';
