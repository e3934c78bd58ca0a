import { MIGRATIONS } from '../catalog/bookkeeping-tables.ts';
import { createTableSql } from '../catalog/table-sql.ts';
import { LOG_FIELDS_MIGRATION } from './log-fields-migration.ts';
import { METRIC_SERIES_MIGRATION } from './metric-series-migration.ts';
import { WIDE_METRIC_TABLES } from './metric-tables-v1.ts';
import type { Migration, VersionRange } from './migration.ts';
import { ROLLUP_MIGRATION } from './rollup-migration.ts';
import { ROLLUP_PENDING_MIGRATION } from './rollup-pending-migration.ts';

/**
 * The built-in migrations, in order: how every database reaches the schema the catalog describes (their text is
 * frozen once released; a test checks that applying them all gives the catalog's tables).
 * `Database.initialize()` applies the missing ones; `@duckside/migrator` reads the same list and tracking table.
 */
export const BUILTIN_MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'create_metric_tables',
    up: WIDE_METRIC_TABLES,
    down: `
DROP TABLE otel_summaries;
DROP TABLE otel_exp_histograms;
DROP TABLE otel_histograms;
DROP TABLE trading_metrics;`,
  },
  {
    version: 2,
    name: 'create_trading_tables',
    up: `
CREATE TABLE trading_candles (
  symbol VARCHAR NOT NULL,
  venue VARCHAR NOT NULL,
  interval VARCHAR NOT NULL,
  ts TIMESTAMP NOT NULL,
  open DOUBLE NOT NULL,
  high DOUBLE NOT NULL,
  low DOUBLE NOT NULL,
  close DOUBLE NOT NULL,
  volume DOUBLE NOT NULL,
  PRIMARY KEY (symbol, venue, interval, ts)
);
CREATE TABLE trading_trades (
  ts TIMESTAMP NOT NULL,
  symbol VARCHAR NOT NULL,
  venue VARCHAR NOT NULL,
  side VARCHAR NOT NULL,
  quantity DOUBLE NOT NULL,
  price DOUBLE NOT NULL,
  fee DOUBLE NOT NULL DEFAULT 0,
  order_id VARCHAR,
  trade_id VARCHAR,
  strategy VARCHAR
);
CREATE SEQUENCE system_events_id_seq START 1;
CREATE TABLE system_events (
  id BIGINT NOT NULL DEFAULT nextval('system_events_id_seq'),
  ts TIMESTAMP NOT NULL,
  severity VARCHAR NOT NULL,
  level UTINYINT NOT NULL,
  source VARCHAR NOT NULL,
  message VARCHAR NOT NULL,
  attributes VARCHAR NOT NULL DEFAULT '{}'
);`,
    down: `
DROP TABLE system_events;
DROP SEQUENCE system_events_id_seq;
DROP TABLE trading_trades;
DROP TABLE trading_candles;`,
  },
  {
    version: 3,
    name: 'create_import_watermarks',
    up: `
CREATE TABLE duckside_import_watermarks (
  source_id VARCHAR PRIMARY KEY,
  target_table VARCHAR NOT NULL,
  watermark VARCHAR NOT NULL,
  rows_imported UBIGINT NOT NULL,
  updated_at TIMESTAMP NOT NULL
);`,
    down: `DROP TABLE duckside_import_watermarks;`,
  },
  METRIC_SERIES_MIGRATION,
  LOG_FIELDS_MIGRATION,
  ROLLUP_MIGRATION,
  ROLLUP_PENDING_MIGRATION,
]);

/** Versions reserved for built-in migrations. Rows of other versions in the tracking table are not theirs. */
export const BUILTIN_VERSIONS: VersionRange = Object.freeze({ min: 1, max: 999 });

/** Versions of user migrations (the migrator's `--dir`), tracked in the same table after the built-in ones. */
export const USER_VERSIONS: VersionRange = Object.freeze({ min: 1000, max: 2_147_483_647 });

/** DDL of the tracking table (created on demand, not itself a migration). */
export const MIGRATIONS_TABLE_DDL = createTableSql(MIGRATIONS, { ifNotExists: true });
