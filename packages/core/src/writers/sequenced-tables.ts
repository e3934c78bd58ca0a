import type { DuckDBConnection } from '@duckdb/node-api';
import type { Table } from '../catalog/column.ts';
import { SYSTEM_EVENTS, SYSTEM_EVENTS_ID_SEQUENCE } from '../catalog/trading-tables.ts';
import type { ColumnarTable } from './columnar-table.ts';

/** A table whose first column is an id drawn from a sequence (the rest are the written columns, in order). */
interface SequencedTable {
  readonly table: Table;
  readonly sequence: string;
}

/**
 * Tables whose ids come from a sequence: the writer draws the ids of a round's rows with one query and appends
 * the rows with them straight into the table (no temp stage and no INSERT ... SELECT of every row).
 */
export const SEQUENCED_TABLES: Readonly<Record<string, SequencedTable>> = {
  [SYSTEM_EVENTS.name]: { table: SYSTEM_EVENTS, sequence: SYSTEM_EVENTS_ID_SEQUENCE },
};

/**
 * The rows of `table` (its written columns) with ids drawn from its sequence in the order the rows were written,
 * as the appender takes them (every column in table order).
 * @example await session.append(await withSequenceIds(connection, eventsTable));
 */
export async function withSequenceIds(
  connection: DuckDBConnection,
  table: ColumnarTable,
): Promise<ColumnarTable> {
  const sequenced = SEQUENCED_TABLES[table.table] as SequencedTable;
  const [id, ...rest] = sequenced.table.columns;
  if (!id?.generated || rest.some((c) => c.generated)) {
    throw new Error(`${table.table}: only its first column may come from a sequence`);
  }
  const reader = await connection.runAndReadAll(
    `SELECT nextval('${sequenced.sequence}') AS id FROM range(${table.length}) ORDER BY id`,
  );
  const ids = reader.getColumns()[0] as unknown[];
  return { ...table, spec: [id, ...table.spec], columns: [ids, ...table.columns] };
}
