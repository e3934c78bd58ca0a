import type { Migration } from './migration.ts';

/** Columns version 5 adds to `system_events`, in order, with their types (all nullable: JSON events have none). */
const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['time_unix_nano', 'BIGINT'],
  ['observed_time_unix_nano', 'BIGINT'],
  ['severity_number', 'INTEGER'],
  ['severity_text', 'VARCHAR'],
  ['body', 'VARCHAR'],
  ['resource', 'VARCHAR'],
  ['scope', 'VARCHAR'],
  ['trace_id', 'VARCHAR'],
  ['span_id', 'VARCHAR'],
  ['flags', 'UINTEGER'],
  ['event_name', 'VARCHAR'],
  ['dropped_attributes_count', 'UINTEGER'],
];

/**
 * Version 5: `system_events` also holds OTLP log records losslessly: exact event and observed times in
 * nanoseconds, the OTLP severity number and text (beside the mapped `severity`/`level`), the body as typed
 * JSON, resource and scope (as the metric tables store them), trace and span ids (lowercase hex), flags, the
 * event name and the dropped attributes count. Existing rows keep NULL in the new columns.
 */
export const LOG_FIELDS_MIGRATION: Migration = {
  version: 5,
  name: 'add_otlp_log_fields',
  up: COLUMNS.map(([name, type]) => `ALTER TABLE system_events ADD COLUMN ${name} ${type};`).join('\n'),
  down: [...COLUMNS]
    .reverse()
    .map(([name]) => `ALTER TABLE system_events DROP COLUMN ${name};`)
    .join('\n'),
};
