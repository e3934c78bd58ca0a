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
 * The rows of `tables` (all of one sequenced table, its written columns) with ids drawn from its sequence in
 * the order the rows were written, as the appender takes them (every column in table order), one table each.
 * The ids of a round come from one query that returns only the lowest and highest id drawn: when they are
 * consecutive (nothing else drew from the sequence meanwhile) row `i` gets `lowest + i`; otherwise a second
 * query draws them again and returns them all in order.
 * @example for (const t of await withSequenceIds(connection, eventTables)) await session.append(t);
 */
export async function withSequenceIds(
  connection: DuckDBConnection,
  tables: readonly ColumnarTable[],
): Promise<ColumnarTable[]> {
  const name = tables[0]?.table ?? '';
  const sequenced = SEQUENCED_TABLES[name] as SequencedTable;
  const [id, ...rest] = sequenced.table.columns;
  if (!id?.generated || rest.some((c) => c.generated)) {
    throw new Error(`${name}: only its first column may come from a sequence`);
  }
  const total = tables.reduce((n, t) => n + t.length, 0);
  const ids = await drawIds(connection, sequenced.sequence, total);
  let offset = 0;
  return tables.map((table) => {
    const slice = ids.slice(offset, offset + table.length);
    offset += table.length;
    return { ...table, spec: [id, ...table.spec], columns: [slice, ...table.columns] };
  });
}

/**
 * Draws `count` ids from `sequence`, in increasing order: one query returning the lowest and highest when they
 * are consecutive, else (something else drew meanwhile, or the sequence steps by more than 1) they are drawn
 * again and read in order.
 * @example await drawIds(connection, 'system_events_id_seq', 3) // [1n, 2n, 3n] on a fresh sequence
 */
export async function drawIds(
  connection: DuckDBConnection,
  sequence: string,
  count: number,
): Promise<bigint[]> {
  const draw = `SELECT nextval('${sequence}') AS id FROM range(${count})`;
  const bounds = await connection.runAndReadAll(`SELECT min(id) AS lo, max(id) AS hi FROM (${draw})`);
  const [lo, hi] = bounds.getRows()[0] as [bigint | null, bigint | null];
  if (lo !== null && hi !== null && hi - lo + 1n === BigInt(count)) return consecutiveIds(lo, count);
  const reader = await connection.runAndReadAll(`${draw} ORDER BY id`);
  return reader.getColumns()[0] as bigint[];
}

/** `count` ids from `first` on. */
function consecutiveIds(first: bigint, count: number): bigint[] {
  const ids: bigint[] = new Array(count);
  for (let i = 0; i < count; i++) ids[i] = first + BigInt(i);
  return ids;
}
