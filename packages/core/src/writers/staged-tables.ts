import { SERIES_COLUMNS } from './metric-batch.ts';

const seriesColumns = SERIES_COLUMNS.map((c) => c.name).join(', ');

/**
 * Tables that are not appended to directly: rows go to a per-connection temp stage through the appender,
 * then one set-based statement moves them (upsert for candles, default ids for events, insert-if-new for series).
 */
export const STAGED_TABLES: Readonly<
  Record<string, { columns: readonly string[]; move: (stage: string) => string }>
> = {
  metric_series: {
    columns: SERIES_COLUMNS.map((c) => c.name),
    // A series already stored (or sent twice in one round) is kept as it is: the id is derived from all its fields.
    move: (stage) =>
      `INSERT INTO metric_series (${seriesColumns})
         SELECT DISTINCT ON (series_id) ${seriesColumns} FROM ${stage} ON CONFLICT DO NOTHING`,
  },
  trading_candles: {
    columns: ['symbol', 'venue', 'interval', 'ts', 'open', 'high', 'low', 'close', 'volume'],
    // Later rows of the same key win, both within one batch and against stored candles.
    move: (stage) =>
      `INSERT OR REPLACE INTO trading_candles SELECT symbol, venue, interval, ts, open, high, low, close, volume
         FROM (SELECT *, row_number() OVER (PARTITION BY symbol, venue, interval, ts ORDER BY rowid DESC) AS rn FROM ${stage}) WHERE rn = 1`,
  },
  system_events: {
    columns: ['ts', 'severity', 'level', 'source', 'message', 'attributes'],
    move: (stage) =>
      `INSERT INTO system_events (ts, severity, level, source, message, attributes)
         SELECT ts, severity, level, source, message, attributes FROM ${stage} ORDER BY rowid`,
  },
};

/** Name of the temp stage of a staged table. */
export function stageName(table: string): string {
  return `duckside_stage_${table}`;
}
