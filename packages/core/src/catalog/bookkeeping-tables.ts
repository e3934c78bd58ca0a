import { column, type Table, table } from './column.ts';

/** Name of the migration tracking table shared by core and the migrator. */
export const MIGRATIONS_TABLE = 'duckside_migrations';

/** The migration tracking table (created on demand, not itself a migration). */
export const MIGRATIONS: Table = table(
  MIGRATIONS_TABLE,
  [
    column('version', 'INTEGER'),
    column('name', 'VARCHAR'),
    column('checksum', 'VARCHAR'),
    column('applied_at', 'TIMESTAMP'),
    column('duration_ms', 'DOUBLE'),
  ],
  ['version'],
);

/** Import watermarks: how far each import source has been read (written by the migrator). */
export const IMPORT_WATERMARKS: Table = table(
  'duckside_import_watermarks',
  [
    column('source_id', 'VARCHAR'),
    column('target_table', 'VARCHAR'),
    column('watermark', 'VARCHAR'),
    column('rows_imported', 'UBIGINT'),
    column('updated_at', 'TIMESTAMP'),
  ],
  ['source_id'],
);
