/** The `--help` text of `duckside-migrate`. */
export const USAGE = `duckside-migrate: schema versions, imports and exports of a Duckside database

Usage:
  duckside-migrate status  [--db FILE] [--dir DIR] [--json]
  duckside-migrate up      [--to VERSION] [--dry-run] [--force]
  duckside-migrate down    [--to VERSION | --steps N] [--dry-run] [--force]
  duckside-migrate verify
  duckside-migrate create NAME --dir DIR [--format sql|ts]
  duckside-migrate import postgres|timescale [--url URL] (--table T | --query SQL) --preset metrics|candles|trades|events
                   [--time-column C] [--map FIELD=COLUMN ...] [--set FIELD=VALUE ...] [--source-id ID]
                   [--batch-rows N] [--no-verify]
  duckside-migrate import csv FILE --into TABLE [--delimiter C] [--map ...] [--set ...] [--no-verify]
  duckside-migrate import parquet FILE|DIR --into TABLE [--map ...] [--set ...] [--no-verify]
  duckside-migrate export parquet --table T --out DIR [--overwrite]   (DIR/T/date=YYYY-MM-DD/part-0.parquet)
  duckside-migrate rollup rebuild [--from TIME] [--to TIME]

Options:
  --db FILE         database file (default $DUCKSIDE_DB or ./data/duckside.duckdb)
  --dir DIR         user migrations (V_NAME.up.sql + V_NAME.down.sql, or V_NAME.ts/.js; versions from 1000)
  --json            machine-readable output on stdout
  --quiet           no progress lines on stderr
  --to VERSION      up: apply up to this version; down: roll back to this version
  --from/--to TIME  rollup rebuild: the range to re-aggregate from raw rows (ISO time, unix ms or now-1d; open
                    ends by default: everything)
  --steps N         down: roll back N migrations (default 1)
  --dry-run         print the SQL that would run, change nothing
  --force           proceed despite edited applied migrations or gaps
  --url URL         PostgreSQL URL (default: the PG* environment variables)
  --table T         source table or hypertable (schema.table allowed)
  --query SQL       source SELECT instead of a table
  --preset P        source layout and target: metrics -> trading_metrics, candles -> trading_candles,
                    trades -> trading_trades, events -> system_events
  --time-column C   source time column (same as --map ts=C)
  --map F=C         fill Duckside field F from source column C (repeatable)
  --set F=V         fill Duckside field F with the constant V (repeatable)
  --source-id ID    watermark key (default derived from the source)
  --batch-rows N    rows per committed batch (PostgreSQL, default 200000)
  --into TABLE      target table of a file import
  --no-verify       skip the per-day count and sum comparison after an import
  --out DIR         export folder (partitioned by day)
  --overwrite       replace the export folder's content

Exit codes: 0 ok, 1 failed (including verify finding differences), 2 bad usage or mapping.
`;
