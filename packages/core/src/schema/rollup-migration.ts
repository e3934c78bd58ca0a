import type { Migration } from './migration.ts';

/**
 * Version 6: the rollup tables. `rollup_levels` lists the levels maintained, `rollup_dirty` the buckets commits
 * touched since the maintenance step last ran (written in the same transaction as the points), `rollup_metrics`
 * `rollup_trades` and `rollup_histograms` the aggregates per level, stream or market, and bucket; `rollup_state` the raw horizon of downsampling. Existing data is rolled up once the
 * database is opened with rollup levels (each new level marks every stored bucket dirty), see docs/rollups.md.
 */
export const ROLLUP_MIGRATION: Migration = {
  version: 6,
  name: 'create_rollup_tables',
  up: `
CREATE TABLE rollup_levels (
  width_seconds INTEGER NOT NULL,
  label VARCHAR NOT NULL,
  added_at TIMESTAMP NOT NULL,
  PRIMARY KEY (width_seconds)
);
CREATE TABLE rollup_dirty (
  source UTINYINT NOT NULL,
  series_id UBIGINT NOT NULL,
  symbol VARCHAR,
  venue VARCHAR,
  bucket TIMESTAMP NOT NULL,
  width_seconds INTEGER NOT NULL
);
CREATE TABLE rollup_metrics (
  level_seconds INTEGER NOT NULL,
  stream_key UBIGINT NOT NULL,
  name VARCHAR NOT NULL,
  service VARCHAR,
  symbol VARCHAR,
  attributes VARCHAR NOT NULL,
  bucket TIMESTAMP NOT NULL,
  count UBIGINT NOT NULL,
  sum DOUBLE NOT NULL,
  min DOUBLE NOT NULL,
  max DOUBLE NOT NULL,
  first_time BIGINT NOT NULL,
  first_value DOUBLE NOT NULL,
  first_start BIGINT,
  first_cumulative BOOLEAN NOT NULL,
  last_time BIGINT NOT NULL,
  last_value DOUBLE NOT NULL,
  last_start BIGINT,
  increase_rest DOUBLE NOT NULL
);
CREATE TABLE rollup_trades (
  level_seconds INTEGER NOT NULL,
  symbol VARCHAR NOT NULL,
  venue VARCHAR NOT NULL,
  bucket TIMESTAMP NOT NULL,
  open DOUBLE NOT NULL,
  high DOUBLE NOT NULL,
  low DOUBLE NOT NULL,
  close DOUBLE NOT NULL,
  first_ts TIMESTAMP NOT NULL,
  last_ts TIMESTAMP NOT NULL,
  volume DOUBLE NOT NULL,
  notional DOUBLE NOT NULL,
  trades UBIGINT NOT NULL
);
CREATE TABLE rollup_histograms (
  level_seconds INTEGER NOT NULL,
  stream_key UBIGINT NOT NULL,
  name VARCHAR NOT NULL,
  service VARCHAR,
  symbol VARCHAR,
  attributes VARCHAR NOT NULL,
  bounds DOUBLE[] NOT NULL,
  bucket TIMESTAMP NOT NULL,
  points UBIGINT NOT NULL,
  first_time BIGINT NOT NULL,
  first_counts DOUBLE[] NOT NULL,
  first_count UBIGINT NOT NULL,
  first_start BIGINT,
  first_cumulative BOOLEAN NOT NULL,
  last_time BIGINT NOT NULL,
  last_counts DOUBLE[] NOT NULL,
  last_count UBIGINT NOT NULL,
  last_start BIGINT,
  rest_counts DOUBLE[]
);
CREATE TABLE rollup_state (
  key VARCHAR NOT NULL,
  value TIMESTAMP NOT NULL,
  PRIMARY KEY (key)
);`,
  down: `
DROP TABLE rollup_state;
DROP TABLE rollup_histograms;
DROP TABLE rollup_trades;
DROP TABLE rollup_metrics;
DROP TABLE rollup_dirty;
DROP TABLE rollup_levels;`,
};
