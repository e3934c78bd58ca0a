import type { Database } from '@duckside/core';
import { BUILTIN_MIGRATIONS, BUILTIN_VERSIONS, type MigrationStep } from '@duckside/core/schema';
import { MigratorError } from '../errors/errors.ts';
import { Migrator } from '../versioning/migrator.ts';

/**
 * Readies a database file for an import. A file with no built-in migration applied (a new or empty file) gets
 * every built-in migration, as `duckside-migrate up` would apply them, and the steps are returned so that the
 * caller can say so. A file part of the way there is left alone: the import fails naming `duckside-migrate up`,
 * because migrating a file someone already uses is a decision for its owner, not a side effect of an import.
 * @example const applied = await schemaForImport(db); if (applied.length > 0) console.error('applied', applied);
 * @throws MigratorError `schema` when built-in migrations are pending on a file that has some applied.
 */
export async function schemaForImport(db: Database): Promise<MigrationStep[]> {
  const migrator = await Migrator.load(db);
  const status = await migrator.status();
  const builtin = (v: { version: number }) => v.version <= BUILTIN_VERSIONS.max;
  const pending = status.pending.filter(builtin);
  if (pending.length === 0) return [];
  if (status.applied.some(builtin)) {
    const latest = BUILTIN_MIGRATIONS[BUILTIN_MIGRATIONS.length - 1]?.version;
    throw new MigratorError(
      'schema',
      `${db.path} is at schema version ${status.current}, an import needs version ${latest}: run \`duckside-migrate up --db ${db.path}\` first`,
    );
  }
  return migrator.up({ to: BUILTIN_VERSIONS.max });
}
