import type { ColumnarTable, ColumnSpec } from '@duckside/core';
import { MappingError } from '../errors.ts';
import type { FieldType } from '../targets/target-tables.ts';
import type { BinaryCopyParser } from './binary-copy-parser.ts';
import { ByteInterner } from './byte-interner.ts';
import { microsToIso, readTimestampMicros } from './pg-values.ts';

/** Name of the temp table rows are staged in (one column `f<i>` per selected field). */
export const STAGE_TABLE = 'duckside_import_stage';
/** Name of the temp table holding the texts of a batch by field index and id. */
export const DICT_TABLE = 'duckside_import_dict';

/** A field selected from PostgreSQL: its Duckside name and type, and whether NULL is an error. */
export interface StagedField {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
}

const TIMESTAMP = 0;
const DOUBLE = 1;
const TEXT = 2;
const JSONB = 3;
const CODES: Record<FieldType, number> = { timestamp: TIMESTAMP, double: DOUBLE, text: TEXT, json: JSONB };
const KINDS = { timestamp: 'timestamp', double: 'double', text: 'uinteger', json: 'uinteger' } as const;

/**
 * Column layout of the stage table for the selected fields: times as TIMESTAMP, doubles as DOUBLE, texts as
 * UINTEGER ids into the batch's dictionary.
 * @example stageSpec([{ name: 'ts', type: 'timestamp', required: true }]) // [{ name: 'f0', kind: 'timestamp' }]
 */
export function stageSpec(fields: readonly StagedField[]): ColumnSpec[] {
  return fields.map((f, i) => ({ name: `f${i}`, kind: KINDS[f.type] }));
}

const DICT_SPEC: ColumnSpec[] = [
  { name: 'f', kind: 'integer' },
  { name: 'id', kind: 'uinteger' },
  { name: 'v', kind: 'varchar' },
];

/**
 * Rows of one commit, decoded from binary COPY rows into stage columns. Field 0 is the time the source is
 * ordered by; `lastMicros` is the time of the last row (the batch's watermark).
 * @example const batch = new StageBatch(fields); parser = new BinaryCopyParser(n, (b, s, l) => batch.add(b, s, l, t));
 */
export class StageBatch {
  length = 0;
  lastMicros = -1;
  private readonly columns: (number | null)[][];
  private readonly interners: ByteInterner[];
  private readonly codes: number[];
  private readonly required: boolean[];

  constructor(private readonly fields: readonly StagedField[]) {
    this.columns = fields.map(() => []);
    this.codes = fields.map((f) => CODES[f.type]);
    this.interners = fields.map(() => new ByteInterner());
    this.required = fields.map((f) => f.required);
  }

  /** Adds one row (see {@link BinaryCopyParser}); `micros` is field 0 already read. */
  add(buffer: Buffer, starts: Int32Array, lengths: Int32Array, micros: number): void {
    const { columns, codes, interners } = this;
    columns[0]!.push(micros);
    for (let i = 1; i < codes.length; i++) {
      const length = lengths[i] as number;
      const column = columns[i] as (number | null)[];
      if (length < 0) {
        if (this.required[i]) this.missing(i, micros);
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
    this.lastMicros = micros;
    this.length++;
  }

  /** The staged rows as a table for the appender. */
  stageTable(): ColumnarTable {
    return {
      table: STAGE_TABLE,
      catalog: 'temp',
      spec: stageSpec(this.fields),
      columns: this.columns,
      length: this.length,
    };
  }

  /** The batch's distinct texts by field and id. */
  dictTable(): ColumnarTable {
    const columns: unknown[][] = [[], [], []];
    this.interners.forEach((interner, field) => {
      interner.values.forEach((value, id) => {
        columns[0]!.push(field);
        columns[1]!.push(id);
        columns[2]!.push(value);
      });
    });
    return { table: DICT_TABLE, catalog: 'temp', spec: DICT_SPEC, columns, length: columns[0]!.length };
  }

  private missing(index: number, micros: number): never {
    throw new MappingError(
      `the source row at ${microsToIso(micros)} has no value for required field ${this.fields[index]?.name}`,
    );
  }
}
