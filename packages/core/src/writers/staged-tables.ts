import { columnList, type Table, writtenColumns } from '../catalog/column.ts';
import { METRIC_SERIES } from '../catalog/metric-tables.ts';
import { TRADING_CANDLES } from '../catalog/trading-tables.ts';

/** How rows of a staged table are moved from its stage into the table. */
export interface StagedTable {
  /** The columns the stage holds (the written columns of the table). */
  readonly columns: readonly string[];
  /** The statement moving every row of `stage` into the table. */
  move(stage: string): string;
}

function staged(t: Table, move: (stage: string, columns: string) => string): StagedTable {
  const columns = writtenColumns(t);
  const list = columnList(columns);
  return { columns: columns.map((c) => c.name), move: (stage) => move(stage, list) };
}

/**
 * Tables that are not appended to directly: rows go to a per-connection temp stage through the appender,
 * then one set-based statement moves them (upsert for candles, insert-if-new for series). Events are not staged:
 * see `SEQUENCED_TABLES`.
 */
export const STAGED_TABLES: Readonly<Record<string, StagedTable>> = {
  // A series already stored (or sent twice in one round) is kept as it is: the id is derived from all its fields.
  [METRIC_SERIES.name]: staged(
    METRIC_SERIES,
    (stage, columns) =>
      `INSERT INTO ${METRIC_SERIES.name} (${columns})
         SELECT DISTINCT ON (${METRIC_SERIES.primaryKey.join(', ')}) ${columns} FROM ${stage} ON CONFLICT DO NOTHING`,
  ),
  // Later rows of the same key win, both within one batch and against stored candles.
  [TRADING_CANDLES.name]: staged(
    TRADING_CANDLES,
    (stage, columns) =>
      `INSERT OR REPLACE INTO ${TRADING_CANDLES.name} SELECT ${columns}
         FROM (SELECT *, row_number() OVER (PARTITION BY ${TRADING_CANDLES.primaryKey.join(', ')} ORDER BY rowid DESC) AS rn FROM ${stage}) WHERE rn = 1`,
  ),
};

/** Name of the temp stage of a staged table. */
export function stageName(table: string): string {
  return `duckside_stage_${table}`;
}
