import type { ColumnKind } from '../catalog/column.ts';

/**
 * One column of a table as the writer sees it (a catalog `Column` is one). A `nanos` column takes two arrays:
 * micros, then the 0..999 remainder.
 */
export interface ColumnSpec {
  /** Column name in DuckDB, in table order. */
  readonly name: string;
  /** How values are held and written (see `ColumnKind`). */
  readonly kind: ColumnKind;
}

/** Rows of one table held column by column, ready for a data-chunk append. */
export interface ColumnarTable {
  /** Target table. */
  readonly table: string;
  /** Catalog of the target (`temp` for stages); the main database when absent. */
  readonly catalog?: string;
  /** Columns in table order. */
  readonly spec: readonly ColumnSpec[];
  /** One array per spec entry (two for `nanos`: micros then remainder), all `length` long. */
  readonly columns: unknown[][];
  /** Number of rows. */
  readonly length: number;
  /** Bookkeeping rows (e.g. rollup dirty buckets): written like the others, not counted as rows written. */
  readonly bookkeeping?: boolean;
}

/** Number of JS arrays a spec needs (a `nanos` column uses two). */
export function arrayCount(spec: readonly ColumnSpec[]): number {
  let n = 0;
  for (const c of spec) n += c.kind === 'nanos' ? 2 : 1;
  return n;
}

/** Empty column arrays for a spec. */
export function emptyColumns(spec: readonly ColumnSpec[]): unknown[][] {
  const n = arrayCount(spec);
  const columns: unknown[][] = new Array(n);
  for (let i = 0; i < n; i++) columns[i] = [];
  return columns;
}

/**
 * Concatenates tables of the same target into one, so that many small writes become one append.
 * @example concatTables([a, b]).length === a.length + b.length
 */
export function concatTables(tables: readonly ColumnarTable[]): ColumnarTable {
  const first = tables[0];
  if (!first) throw new Error('concatTables needs at least one table');
  if (tables.length === 1) return first;
  const columns = emptyColumns(first.spec);
  let length = 0;
  for (const t of tables) {
    for (let c = 0; c < columns.length; c++) {
      const target = columns[c] as unknown[];
      const source = t.columns[c] as unknown[];
      for (let i = 0; i < source.length; i++) target.push(source[i]);
    }
    length += t.length;
  }
  return { table: first.table, spec: first.spec, columns, length };
}

/** Rough in-memory size of a table in bytes, used to bound the write queue. */
export function estimateBytes(table: ColumnarTable): number {
  let bytes = 0;
  let arrayIndex = 0;
  for (const c of table.spec) {
    const col = table.columns[arrayIndex] as unknown[];
    if (c.kind === 'varchar') {
      // Sample to keep this cheap.
      const sample = col.length > 0 ? String(col[0] ?? '').length : 0;
      bytes += table.length * (8 + Math.min(sample, 256));
    } else if (c.kind === 'double[]' || c.kind === 'ubigint[]') {
      const sample = col.length > 0 ? ((col[0] as number[] | null)?.length ?? 0) : 0;
      bytes += table.length * (16 + sample * 8);
    } else {
      bytes += table.length * 8;
    }
    arrayIndex += c.kind === 'nanos' ? 2 : 1;
  }
  return bytes;
}
