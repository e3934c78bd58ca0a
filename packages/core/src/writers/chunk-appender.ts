import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  INTEGER,
  LIST,
  listValue,
  TIMESTAMP,
  UBIGINT,
  UINTEGER,
  UTINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import type { ColumnKind } from '../catalog/column.ts';
import { type ColumnarTable, concatTables } from './columnar-table.ts';
import { FlushPacer } from './flush-pacer.ts';
import { writeNumberLists } from './list-column.ts';

const CHUNK_ROWS = 2048;
const TWO_32 = 4294967296;

const TYPES: Record<ColumnKind, DuckDBType> = {
  timestamp: TIMESTAMP,
  nanos: BIGINT,
  double: DOUBLE,
  varchar: VARCHAR,
  boolean: BOOLEAN,
  utinyint: UTINYINT,
  integer: INTEGER,
  uinteger: UINTEGER,
  bigint: BIGINT,
  ubigint: UBIGINT,
  id: UBIGINT,
  'double[]': LIST(DOUBLE),
  'ubigint[]': LIST(UBIGINT),
};

/**
 * The vector internals (node-api) we write through: fixed-width items directly (64-bit ones as two 32-bit words,
 * no BigInt per item), the validity mask as 32-bit words (node-api's setter does BigInt arithmetic per item).
 */
interface RawVector {
  /** The native vector, for constant vectors. */
  vector: Parameters<typeof bindings.vector_reference_value>[0];
  /** Typed array of the items (absent for booleans, strings and lists). */
  items: BigInt64Array | BigUint64Array | Float64Array | Uint32Array | Int32Array | Uint8Array;
  validity: { data: BigUint64Array | null; setItemValid(index: number, valid: boolean): void };
  setItem(index: number, value: unknown): void;
  flush(): void;
}

/** How many rows each table appends between two flushes, learned from how long its flushes take. */
const PACER = new FlushPacer();

/**
 * The appenders of one transaction, one per table, kept open across appends: each flush of a DuckDB appender
 * costs about 0.25 ms whatever its size, so many small appends (slices of an export) should share one flush.
 * Every `rowsPerFlush` rows (by default 4k to 64k, paced per table to ~4 ms per flush) an appender is flushed and the event loop gets a turn, so a large table
 * never blocks it for long. Rows reach their tables when {@link close} returns; the caller owns the transaction.
 * @example const session = new AppendSession(connection); await session.append(table); await session.close();
 */
export class AppendSession {
  private readonly appenders = new Map<string, OpenAppender>();
  /** Fixed rows between flushes, or undefined to let the pacer choose per table. */
  private readonly rowsPerFlush: number | undefined;

  constructor(
    private readonly connection: DuckDBConnection,
    options: AppendOptions = {},
  ) {
    this.rowsPerFlush = options.rowsPerFlush;
    if (this.rowsPerFlush !== undefined && !(this.rowsPerFlush >= 1)) {
      throw new RangeError(`rowsPerFlush must be at least 1 (or Infinity), got ${this.rowsPerFlush}`);
    }
  }

  /**
   * Appends a table's rows in data chunks of up to 2048 rows. Tables under {@link SMALL_TABLE_ROWS} rows are
   * gathered and appended together (many one-row writes make one chunk, not one each).
   */
  async append(table: ColumnarTable): Promise<void> {
    if (table.length === 0) return;
    const key = `${table.catalog ?? ''}.${table.table}`;
    let open = this.appenders.get(key);
    if (!open) {
      const appender = await this.connection.createAppender(
        table.table,
        table.catalog ? 'main' : null,
        table.catalog ?? null,
      );
      open = {
        appender,
        table: key,
        rowsPerFlush: this.rowsPerFlush,
        sinceFlush: 0,
        small: [],
        smallRows: 0,
      };
      this.appenders.set(key, open);
    }
    if (table.length >= SMALL_TABLE_ROWS) {
      await appendChunks(open, table);
      return;
    }
    open.small.push(table);
    open.smallRows += table.length;
    if (open.smallRows >= CHUNK_ROWS) await appendSmall(open);
  }

  /** Appends what is gathered, then flushes and closes every appender. */
  async close(): Promise<void> {
    for (const open of this.appenders.values()) {
      await appendSmall(open);
      open.appender.closeSync();
    }
    this.appenders.clear();
  }

  /** Drops what was appended but not flushed and closes every appender (after a failure). */
  abandon(): void {
    for (const { appender } of this.appenders.values()) {
      try {
        appender.clear();
        appender.closeSync();
      } catch {
        // The append already failed; the original error is the useful one.
      }
    }
    this.appenders.clear();
  }
}

/** Tables with fewer rows are gathered by {@link AppendSession} and appended together. */
const SMALL_TABLE_ROWS = 256;

/** Options of an {@link AppendSession}. */
export interface AppendOptions {
  /**
   * Rows between two flushes. By default each table's count is learned from its flush times, so that a flush
   * holds the event loop for about 4 ms (4096 to 65536 rows). A bulk load that nothing waits on
   * can pass `Infinity`: one flush per table at the end.
   */
  rowsPerFlush?: number;
}

interface OpenAppender {
  appender: DuckDBAppender;
  /** `catalog.table`, the pacer's key. */
  table: string;
  /** Fixed rows between flushes, or undefined to let the pacer choose. */
  rowsPerFlush: number | undefined;
  /** Rows appended since the last flush. */
  sinceFlush: number;
  /** Small tables waiting to be appended together. */
  small: ColumnarTable[];
  smallRows: number;
}

async function appendSmall(open: OpenAppender): Promise<void> {
  if (open.small.length === 0) return;
  const merged = concatTables(open.small);
  open.small = [];
  open.smallRows = 0;
  await appendChunks(open, merged);
}

/**
 * Appends a table in 2048-row data chunks, flushing and yielding to the event loop every `rowsPerFlush` rows
 * (or as often as the pacer says, so that each flush holds the event loop for a few milliseconds).
 */
async function appendChunks(open: OpenAppender, table: ColumnarTable): Promise<void> {
  const types = table.spec.map((c) => TYPES[c.kind]);
  for (let offset = 0; offset < table.length; offset += CHUNK_ROWS) {
    if (open.sinceFlush >= (open.rowsPerFlush ?? PACER.rowsPerFlush(open.table))) {
      const started = performance.now();
      open.appender.flushSync();
      if (open.rowsPerFlush === undefined)
        PACER.observe(open.table, open.sinceFlush, performance.now() - started);
      open.sinceFlush = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const rows = Math.min(CHUNK_ROWS, table.length - offset);
    open.sinceFlush += rows;
    open.appender.appendDataChunk(dataChunk(table, types, offset, rows));
  }
}

/**
 * Appends one columnar table through its own {@link AppendSession} (`options` as for the session).
 * @example await appendTable(connection, tradesTable(trades));
 */
export async function appendTable(
  connection: DuckDBConnection,
  table: ColumnarTable,
  options: AppendOptions = {},
): Promise<void> {
  const session = new AppendSession(connection, options);
  try {
    await session.append(table);
    await session.close();
  } catch (error) {
    session.abandon();
    throw error;
  }
}

function dataChunk(table: ColumnarTable, types: DuckDBType[], offset: number, rows: number): DuckDBDataChunk {
  const chunk = DuckDBDataChunk.create(types, rows);
  let arrayIndex = 0;
  table.spec.forEach((spec, columnIndex) => {
    const values = table.columns[arrayIndex] as unknown[];
    if (
      (spec.kind === 'double[]' || spec.kind === 'ubigint[]') &&
      writeNumberLists(chunk, columnIndex, values, offset, rows, spec.kind)
    ) {
      arrayIndex += 1;
      return;
    }
    const vector = chunk.getColumnVector(columnIndex) as unknown as RawVector;
    if (spec.kind === 'nanos') {
      writeNanos(
        vector,
        values as (number | null)[],
        table.columns[arrayIndex + 1] as number[],
        offset,
        rows,
      );
      arrayIndex += 2;
      vector.flush();
    } else {
      if (!writeConstantText(spec.kind, vector, values, offset, rows)) {
        writeColumn(spec.kind, vector, values, offset, rows);
        vector.flush();
      }
      arrayIndex += 1;
    }
  });
  return chunk;
}

/**
 * Writes a text column whose rows in this chunk all hold the same string as one constant vector: one native call
 * instead of one per row (a symbol or venue often repeats through a batch). False when it does not apply.
 */
function writeConstantText(
  kind: ColumnKind,
  vector: RawVector,
  values: unknown[],
  offset: number,
  rows: number,
): boolean {
  if (kind !== 'varchar' || rows < 2) return false;
  const first = values[offset];
  if (typeof first !== 'string') return false;
  for (let i = 1; i < rows; i++) if (values[offset + i] !== first) return false;
  bindings.vector_reference_value(vector.vector, bindings.create_varchar(first));
  return true;
}

function writeColumn(
  kind: ColumnKind,
  vector: RawVector,
  values: unknown[],
  offset: number,
  rows: number,
): void {
  const nulls: number[] = [];
  switch (kind) {
    case 'timestamp':
    case 'ubigint':
      writeSafeIntegers(vector, values as (number | null)[], offset, rows, nulls);
      break;
    case 'double':
    case 'utinyint':
    case 'integer':
    case 'uinteger':
    case 'bigint':
    case 'id': {
      const items = vector.items as unknown as unknown[];
      for (let i = 0; i < rows; i++) {
        const v = values[offset + i];
        if (v == null) nulls.push(i);
        else items[i] = v;
      }
      break;
    }
    case 'varchar':
      writeText(vector, values, offset, rows, nulls);
      break;
    case 'double[]':
    case 'ubigint[]': {
      const asBigInt = kind === 'ubigint[]';
      for (let i = 0; i < rows; i++) {
        const list = values[offset + i] as number[] | null | undefined;
        if (list == null) nulls.push(i);
        else vector.setItem(i, listValue(asBigInt ? list.map((n) => BigInt(n)) : list));
      }
      break;
    }
    default:
      for (let i = 0; i < rows; i++) {
        const v = values[offset + i];
        if (v == null) nulls.push(i);
        else vector.setItem(i, v);
      }
  }
  markNulls(vector, nulls);
}

/** Rows of a chunk after which a text column that repeats little stops looking for repeats. */
const REPEAT_PROBE_ROWS = 64;
/** Longest string DuckDB keeps inside its 16-byte `string_t` (longer ones point into the vector's heap). */
const INLINE_BYTES = 12;

/** The `string_t` slots of one chunk's text column, built in JS and copied into the vector at once. */
const SLOTS = new Uint8Array(CHUNK_ROWS * 16);
const SLOT_WORDS = new Uint32Array(SLOTS.buffer);
/** Size of the scratch {@link heapBytes}; it grows for a larger column and is given back after one over the cap. */
const HEAP_START_BYTES = 1 << 16;
const HEAP_KEPT_BYTES = 1 << 22;
/** UTF-8 bytes of the column's strings longer than {@link INLINE_BYTES}, end to end (grown as needed). */
let heapBytes = Buffer.allocUnsafe(HEAP_START_BYTES);

/**
 * Writes a text column with one native call per chunk instead of one per row: the UTF-8 bytes of its strings
 * longer than 12 bytes are assigned, end to end, as one string (copied once into the vector's string heap), and
 * every row's 16-byte `string_t` (DuckDB's C API `duckdb_string_t`: length, then the bytes inline, or a 4-byte
 * prefix and a pointer) is built here, pointing into that copy, and copied into the vector. The appender copies
 * the chunk with the strings it points to. A string repeated in the chunk reuses its first row's `string_t`;
 * a column found to repeat less than every other row stops looking after its first rows.
 */
function writeText(
  vector: RawVector,
  values: unknown[],
  offset: number,
  rows: number,
  nulls: number[],
): void {
  const native = vector.vector;
  SLOTS.fill(0, 0, rows * 16);
  const firstRow = new Map<string, number>();
  const repeats: number[] = [];
  const pointing: number[] = [];
  let probing = true;
  let heap = 0;
  for (let i = 0; i < rows; i++) {
    const v = values[offset + i];
    if (v == null) {
      nulls.push(i);
      continue;
    }
    const text = v as string;
    if (probing && i >= REPEAT_PROBE_ROWS && firstRow.size * 2 > i) probing = false;
    if (probing) {
      const seen = firstRow.get(text);
      if (seen !== undefined) {
        repeats.push(i, seen);
        continue;
      }
      firstRow.set(text, i);
    }
    if (heap + text.length * 3 > heapBytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(heapBytes.length * 2, heap + text.length * 3));
      heapBytes.copy(grown, 0, 0, heap);
      heapBytes = grown;
    }
    const length = heapBytes.write(text, heap, 'utf8');
    const slot = i * 16;
    SLOT_WORDS[i * 4] = length;
    if (length <= INLINE_BYTES) {
      for (let b = 0; b < length; b++) SLOTS[slot + 4 + b] = heapBytes[heap + b] as number;
    } else {
      for (let b = 0; b < 4; b++) SLOTS[slot + 4 + b] = heapBytes[heap + b] as number;
      SLOT_WORDS[i * 4 + 2] = heap;
      pointing.push(i);
      heap += length;
    }
  }
  if (heap > 0) {
    bindings.vector_assign_string_element_len(native, 0, heapBytes.subarray(0, heap));
    const row0 = bindings.vector_get_data(native, 16);
    const first = new DataView(row0.buffer, row0.byteOffset, 16);
    const low = first.getUint32(8, true);
    const high = first.getUint32(12, true);
    for (const i of pointing) {
      const sum = low + (SLOT_WORDS[i * 4 + 2] as number);
      SLOT_WORDS[i * 4 + 2] = sum >>> 0;
      SLOT_WORDS[i * 4 + 3] = high + (sum > 0xffffffff ? 1 : 0);
    }
  }
  for (let k = 0; k < repeats.length; k += 2) {
    const from = (repeats[k + 1] as number) * 16;
    SLOTS.copyWithin((repeats[k] as number) * 16, from, from + 16);
  }
  bindings.copy_data_to_vector(native, 0, SLOTS.buffer, 0, rows * 16);
  if (heapBytes.length > HEAP_KEPT_BYTES) heapBytes = Buffer.allocUnsafe(HEAP_START_BYTES);
}

/**
 * Clears the validity bits of the null rows, after the values are written (until then the mask is absent, so
 * node-api's setters skip it).
 */
function markNulls(vector: RawVector, nulls: readonly number[]): void {
  if (nulls.length === 0) return;
  vector.validity.setItemValid(nulls[0] as number, false); // allocates the mask, all valid but this row
  const mask = vector.validity.data as BigUint64Array;
  const words = new Uint32Array(mask.buffer, mask.byteOffset, mask.length * 2);
  for (const i of nulls) words[i >>> 5]! &= ~(1 << (i & 31));
}

/** Writes non-negative safe integers into a 64-bit vector as two 32-bit words. */
function writeSafeIntegers(
  vector: RawVector,
  values: (number | null)[],
  offset: number,
  rows: number,
  nulls: number[],
): void {
  const words = new Uint32Array(vector.items.buffer, vector.items.byteOffset, rows * 2);
  for (let i = 0; i < rows; i++) {
    const v = values[offset + i];
    if (v == null) {
      nulls.push(i);
      continue;
    }
    words[i * 2] = v % TWO_32;
    words[i * 2 + 1] = Math.floor(v / TWO_32);
  }
}

/** Writes micros*1000 + remainder exactly, without BigInt, as two 32-bit words. */
function writeNanos(
  vector: RawVector,
  micros: (number | null)[],
  remainders: number[],
  offset: number,
  rows: number,
): void {
  const words = new Uint32Array(vector.items.buffer, vector.items.byteOffset, rows * 2);
  const nulls: number[] = [];
  for (let i = 0; i < rows; i++) {
    const us = micros[offset + i];
    if (us == null) {
      nulls.push(i);
      continue;
    }
    const high = Math.floor(us / TWO_32);
    const low = us - high * TWO_32;
    const lowNanos = low * 1000 + (remainders[offset + i] ?? 0);
    const carry = Math.floor(lowNanos / TWO_32);
    words[i * 2] = lowNanos - carry * TWO_32;
    words[i * 2 + 1] = high * 1000 + carry;
  }
  markNulls(vector, nulls);
}
