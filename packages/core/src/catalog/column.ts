/** DuckDB types of Duckside's columns, spelled as DuckDB reports them (`duckdb_columns().data_type`). */
export type SqlType =
  | 'VARCHAR'
  | 'TIMESTAMP'
  | 'DOUBLE'
  | 'BOOLEAN'
  | 'UTINYINT'
  | 'INTEGER'
  | 'UINTEGER'
  | 'BIGINT'
  | 'UBIGINT'
  | 'DOUBLE[]'
  | 'UBIGINT[]';

/**
 * How the writers hold a column's values and append them to DuckDB:
 * - `timestamp`: unix microseconds as `number` -> TIMESTAMP
 * - `nanos`: unix nanoseconds split into two `number` columns (micros and the 0..999 remainder) -> BIGINT
 * - `double`, `varchar`, `boolean`, `utinyint`, `integer`, `uinteger`: the JS value as is (null allowed);
 *   integers are stored into typed arrays unchecked, so callers keep them in range (out of range wraps)
 * - `bigint`: `bigint | null` -> BIGINT; `ubigint`: a safe-integer `number` -> UBIGINT
 * - `id`: a non-null unsigned 64-bit `bigint` (series ids) -> UBIGINT
 * - `double[]`, `ubigint[]`: arrays of numbers -> LIST
 */
export type ColumnKind =
  | 'timestamp'
  | 'nanos'
  | 'double'
  | 'varchar'
  | 'boolean'
  | 'utinyint'
  | 'integer'
  | 'uinteger'
  | 'bigint'
  | 'ubigint'
  | 'id'
  | 'double[]'
  | 'ubigint[]';

/** One column of a catalog table: written once here, read by the writers, the importers and the schema check. */
export interface Column {
  /** Column name in DuckDB. */
  readonly name: string;
  /** DuckDB type. */
  readonly type: SqlType;
  /** Whether the column takes NULL. */
  readonly nullable: boolean;
  /** SQL default as DuckDB reports it (`''`, `'{}'`, `0`, `nextval(...)`), or null. */
  readonly default: string | null;
  /** How the appender writes it. */
  readonly kind: ColumnKind;
  /** The property of the model (and JSON field) that holds it: `ts` is `timestamp`, `order_id` is `orderId`. */
  readonly field: string;
  /** Text holding a JSON object (attributes, resource, scope, exemplars). */
  readonly json: boolean;
  /** Filled by DuckDB (a sequence), never written by Duckside. */
  readonly generated: boolean;
}

/** A table of the catalog: its columns in table order and its primary key. */
export interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
  /** Primary key columns, empty when there is none. */
  readonly primaryKey: readonly string[];
}

/** What a column states beyond its name and type (every flag off by default: NOT NULL, no default). */
export interface ColumnOptions {
  readonly nullable?: boolean;
  readonly default?: string;
  readonly kind?: ColumnKind;
  readonly field?: string;
  readonly json?: boolean;
  readonly generated?: boolean;
}

const KIND_OF_TYPE: Readonly<Record<SqlType, ColumnKind>> = {
  VARCHAR: 'varchar',
  TIMESTAMP: 'timestamp',
  DOUBLE: 'double',
  BOOLEAN: 'boolean',
  UTINYINT: 'utinyint',
  INTEGER: 'integer',
  UINTEGER: 'uinteger',
  BIGINT: 'bigint',
  UBIGINT: 'ubigint',
  'DOUBLE[]': 'double[]',
  'UBIGINT[]': 'ubigint[]',
};

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A catalog column: NOT NULL without a default unless `options` say otherwise; the appender kind follows the type
 * and the model field is the camel-cased name unless given.
 * @example column('fee', 'DOUBLE', { default: '0' })
 */
export function column<const N extends string>(
  name: N,
  type: SqlType,
  options: ColumnOptions = {},
): Column & { readonly name: N } {
  return Object.freeze({
    name,
    type,
    nullable: options.nullable ?? false,
    default: options.default ?? null,
    kind: options.kind ?? KIND_OF_TYPE[type],
    field: options.field ?? camelCase(name),
    json: options.json ?? false,
    generated: options.generated ?? false,
  });
}

/**
 * A catalog table.
 * @example table('trading_trades', [column('ts', 'TIMESTAMP'), ...])
 */
export function table(name: string, columns: readonly Column[], primaryKey: readonly string[] = []): Table {
  return Object.freeze({
    name,
    columns: Object.freeze([...columns]),
    primaryKey: Object.freeze([...primaryKey]),
  });
}

/**
 * The columns Duckside writes (all but the generated ones), in table order.
 * @example writtenColumns(SYSTEM_EVENTS).map((c) => c.name) // ['ts', 'severity', ...] (no `id`)
 */
export function writtenColumns(t: Table): readonly Column[] {
  return t.columns.filter((c) => !c.generated);
}

/**
 * Column names as a SQL list, each prefixed by `prefix` (e.g. `p.`).
 * @example columnList(TRADING_CANDLES.columns) // 'symbol, venue, interval, ts, ...'
 */
export function columnList(columns: readonly Column[], prefix = ''): string {
  return columns.map((c) => `${prefix}${c.name}`).join(', ');
}

/**
 * The column of a table by name.
 * @throws Error when the table has no such column (a programming error).
 * @example columnOf(TRADING_TRADES, 'fee').default // '0'
 */
export function columnOf(t: Table, name: string): Column {
  const found = t.columns.find((c) => c.name === name);
  if (!found) throw new Error(`${t.name} has no column ${name}`);
  return found;
}

/**
 * The names of a list of columns, keeping their literal types.
 * @example const FIELDS = columnNames(IDENTITY_COLUMNS); // readonly ['name', 'unit', ...]
 */
export function columnNames<const T extends readonly Column[]>(
  columns: T,
): { readonly [K in keyof T]: T[K]['name'] } {
  return Object.freeze(columns.map((c) => c.name)) as unknown as { readonly [K in keyof T]: T[K]['name'] };
}
