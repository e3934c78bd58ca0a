import type { ColumnarTable, ColumnSpec } from '@duckside/core/ingest';
import { MappingError } from '../errors/errors.ts';
import type { FieldType } from '../targets/target-tables.ts';
import type { BinaryCopyParser } from './binary-copy-parser.ts';
import { ByteInterner } from './byte-interner.ts';
import { microsToIso, readTimestampMicros } from './pg-values.ts';

/** Name of the temp table rows are staged in (a column `f<i>` per selected field before the key, then `k`). */
export const STAGE_TABLE = 'duckside_import_stage';
/** Name of the temp table holding the texts of a batch by field index and id. */
export const DICT_TABLE = 'duckside_import_dict';
/** Stage column holding the id of a row's key: the tuple of its key fields. */
export const KEY_COLUMN = 'k';

/** A field selected from PostgreSQL: its Duckside name and type, and whether NULL is an error. */
export interface StagedField {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
}

/**
 * The selected fields in select order: field 0 is the time the source is ordered by, and the fields from
 * `keyFrom` on (all text or JSON) are the row's key, staged as one id per distinct tuple (a metric series) rather
 * than one id per field. `keyFrom === fields.length` when the target has no key.
 */
export interface StageLayout {
  readonly fields: readonly StagedField[];
  readonly keyFrom: number;
}

const TIMESTAMP = 0;
const DOUBLE = 1;
const TEXT = 2;
const JSONB = 3;
const CODES: Record<FieldType, number> = { timestamp: TIMESTAMP, double: DOUBLE, text: TEXT, json: JSONB };
const KINDS = { timestamp: 'timestamp', double: 'double', text: 'uinteger', json: 'uinteger' } as const;

/**
 * Column layout of the stage table: times as TIMESTAMP, doubles as DOUBLE, texts as UINTEGER ids into the
 * batch's dictionary, and the key fields as one UINTEGER `k`.
 * @example stageSpec({ fields: [{ name: 'ts', type: 'timestamp', required: true }], keyFrom: 1 }) // [{ name: 'f0', kind: 'timestamp' }]
 */
export function stageSpec(layout: StageLayout): ColumnSpec[] {
  const spec: ColumnSpec[] = layout.fields
    .slice(0, layout.keyFrom)
    .map((f, i) => ({ name: `f${i}`, kind: KINDS[f.type] }));
  if (layout.keyFrom < layout.fields.length) spec.push({ name: KEY_COLUMN, kind: 'uinteger' });
  return spec;
}

const DICT_SPEC: ColumnSpec[] = [
  { name: 'f', kind: 'integer' },
  { name: 'id', kind: 'uinteger' },
  { name: 'v', kind: 'varchar' },
];

/**
 * Rows of one commit, decoded from binary COPY rows into stage columns; `lastMicros` is the time of the last row
 * (the batch's watermark). The key fields are selected last, so a row's key is one contiguous run of bytes
 * (lengths included) that is interned whole: one lookup per row for a metric's name, symbol and labels.
 * @example const batch = new StageBatch(layout); parser = new BinaryCopyParser(n, (b, s, l) => batch.add(b, s, l, t));
 */
export class StageBatch {
  length = 0;
  lastMicros = -1;
  private readonly columns: (number | null)[][];
  /** One per field before the key (unused for numbers and times). */
  private readonly interners: ByteInterner[];
  /** The key interner, when there are key fields. */
  private readonly keys: ByteInterner | null;
  /** Indexes of the required key fields. */
  private readonly requiredKeys: number[];
  private readonly codes: number[];
  private readonly fields: readonly StagedField[];
  private readonly keyFrom: number;

  constructor(private readonly layout: StageLayout) {
    this.fields = layout.fields;
    this.keyFrom = layout.keyFrom;
    this.keys = layout.keyFrom < layout.fields.length ? new ByteInterner() : null;
    this.requiredKeys = layout.fields.flatMap((f, i) => (i >= layout.keyFrom && f.required ? [i] : []));
    this.columns = stageSpec(layout).map(() => []);
    this.codes = layout.fields.map((f) => CODES[f.type]);
    this.interners = layout.fields.slice(0, layout.keyFrom).map(() => new ByteInterner());
  }

  /** Adds one row (see {@link BinaryCopyParser}); `micros` is field 0 already read. */
  add(buffer: Buffer, starts: Int32Array, lengths: Int32Array, micros: number): void {
    const { columns, codes, interners, keyFrom } = this;
    columns[0]!.push(micros);
    for (let i = 1; i < keyFrom; i++) {
      const length = lengths[i] as number;
      const column = columns[i] as (number | null)[];
      if (length < 0) {
        if (this.fields[i]!.required) this.missing(i, micros);
        column.push(null);
        continue;
      }
      const start = starts[i] as number;
      switch (codes[i]) {
        case DOUBLE:
          column.push(buffer.readDoubleBE(start));
          break;
        case TEXT:
          column.push((interners[i] as ByteInterner).intern(buffer, start, length));
          break;
        case JSONB:
          // Byte 0 of binary jsonb is its format version; the text follows.
          column.push((interners[i] as ByteInterner).intern(buffer, start + 1, length - 1));
          break;
        default:
          column.push(readTimestampMicros(buffer, start));
      }
    }
    if (this.keys !== null) {
      for (const i of this.requiredKeys) if ((lengths[i] as number) < 0) this.missing(i, micros);
      const last = lengths.length - 1;
      const from = (starts[keyFrom] as number) - 4;
      const to = (starts[last] as number) + Math.max(0, lengths[last] as number);
      columns[keyFrom]!.push(this.keys.intern(buffer, from, to - from));
    }
    this.lastMicros = micros;
    this.length++;
  }

  /** The staged rows as a table for the appender. */
  stageTable(): ColumnarTable {
    return {
      table: STAGE_TABLE,
      catalog: 'temp',
      spec: stageSpec(this.layout),
      columns: this.columns,
      length: this.length,
    };
  }

  /** The batch's distinct texts by field and id (a key field's id is its key's); NULL key fields have no row. */
  dictTable(): ColumnarTable {
    const columns: unknown[][] = [[], [], []];
    const add = (field: number, id: number, text: string) => {
      columns[0]!.push(field);
      columns[1]!.push(id);
      columns[2]!.push(text);
    };
    for (let field = 1; field < this.keyFrom; field++) {
      const interner = this.interners[field] as ByteInterner;
      for (let id = 0; id < interner.size; id++) add(field, id, interner.text(id));
    }
    for (let id = 0; id < (this.keys?.size ?? 0); id++) {
      const bytes = (this.keys as ByteInterner).bytes(id);
      let pos = 0;
      for (let field = this.keyFrom; field < this.fields.length; field++) {
        const length = bytes.readInt32BE(pos);
        pos += 4;
        if (length < 0) continue;
        const skip = this.codes[field] === JSONB ? 1 : 0;
        add(field, id, bytes.toString('utf8', pos + skip, pos + length));
        pos += length;
      }
    }
    return { table: DICT_TABLE, catalog: 'temp', spec: DICT_SPEC, columns, length: columns[0]!.length };
  }

  private missing(index: number, micros: number): never {
    throw new MappingError(
      `the source row at ${microsToIso(micros)} has no value for required field ${this.fields[index]?.name}`,
    );
  }
}
