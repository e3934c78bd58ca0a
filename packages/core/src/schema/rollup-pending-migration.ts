import type { Migration } from './migration.ts';

/**
 * Version 7: the pending tables of the rollups. Each commit copies the columns rollups read of the scalar points,
 * explicit-histogram points and trades it writes into `rollup_pending_*`, in the same transaction; the maintenance
 * step aggregates them, merges the aggregates into the level tables and deletes them in one transaction (see
 * docs/rollups.md). Existing rows are not copied: `rollup_dirty` still covers what was written before.
 */
export const ROLLUP_PENDING_MIGRATION: Migration = {
  version: 7,
  name: 'create_rollup_pending_tables',
  up: `
CREATE TABLE rollup_pending_metrics (
  series_id UBIGINT NOT NULL,
  ts TIMESTAMP NOT NULL,
  time_unix_nano BIGINT NOT NULL,
  start_time_unix_nano BIGINT,
  temporality UTINYINT NOT NULL DEFAULT 0,
  value DOUBLE NOT NULL
);
CREATE TABLE rollup_pending_histograms (
  series_id UBIGINT NOT NULL,
  ts TIMESTAMP NOT NULL,
  time_unix_nano BIGINT NOT NULL,
  start_time_unix_nano BIGINT,
  temporality UTINYINT NOT NULL,
  count UBIGINT NOT NULL,
  bucket_counts UBIGINT[] NOT NULL,
  explicit_bounds DOUBLE[] NOT NULL
);
CREATE TABLE rollup_pending_trades (
  ts TIMESTAMP NOT NULL,
  symbol VARCHAR NOT NULL,
  venue VARCHAR NOT NULL,
  quantity DOUBLE NOT NULL,
  price DOUBLE NOT NULL
);`,
  down: `
DROP TABLE rollup_pending_trades;
DROP TABLE rollup_pending_histograms;
DROP TABLE rollup_pending_metrics;`,
};
