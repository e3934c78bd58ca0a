import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '@duckside/core';
import { MappingError, SourceError } from '../errors/errors.ts';
import type { BadRow, DayTotal, ImportContext, Source, SourceRunResult } from '../import/source.ts';
import { sqlIdent, sqlString } from '../sql/sql-text.ts';
import { jsonAttributes, PROBLEM_COLUMN, problemSql, typedValue } from '../targets/field-sql.ts';
import { type MappingOptions, type ResolvedMapping, resolveMapping } from '../targets/mapping.ts';
import { presetFor } from '../targets/presets.ts';
import { type TargetTable, targetTable } from '../targets/target-tables.ts';

/** What to import from CSV or Parquet files. */
export interface FileSourceOptions extends MappingOptions {
  format: 'csv' | 'parquet';
  /** A file, a glob, or (Parquet) a folder such as one written by `export parquet`. */
  path: string;
  /** Target table. */
  into: string;
  /** Watermark key; default `<format>:<absolute path>#<size>-<mtime>`. */
  sourceId?: string;
  /** CSV field delimiter (default: detected). */
  delimiter?: string;
}

const ROWS = 'duckside_file_rows';
const DONE = 'complete';
const MAX_BAD_ROWS = 20;
const TYPES = { timestamp: 'TIMESTAMPTZ', double: 'DOUBLE', text: 'VARCHAR', json: 'VARCHAR' } as const;

/**
 * Imports CSV or Parquet through DuckDB's readers (`read_csv`, `read_parquet`) with the same mapping as the
 * PostgreSQL importer. Bad rows (unparseable lines, wrong types, missing or invalid values) are skipped and
 * reported with file and line (CSV) or row number (Parquet). A Parquet file holding every column of the target
 * (as `export parquet` writes it) is copied as is. The import is one transaction, recorded under the file's id
 * (path, size, modification time): re-running it does nothing.
 * @example const source = await FileSource.open(db, { format: 'csv', path: 'trades.csv', into: 'trading_trades' });
 */
export class FileSource implements Source {
  readonly description: string;
  private prepared = false;
  private badRows: BadRow[] = [];
  private rejected = 0;

  private constructor(
    private readonly options: FileSourceOptions,
    readonly id: string,
    readonly target: TargetTable,
    private readonly reader: string,
    private readonly mapping: ResolvedMapping | null,
    private readonly tableColumns: string[],
  ) {
    this.description = `${options.format} ${options.path} -> ${target.name}`;
  }

  /** True when rows carry the import's resource (mapped imports); verbatim copies keep their own. */
  get marksRows(): boolean {
    return this.mapping !== null;
  }

  /**
   * Inspects the files' columns and resolves the mapping.
   * @throws SourceError when the files cannot be read; MappingError for a bad mapping or target.
   */
  static async open(db: Database, options: FileSourceOptions): Promise<FileSource> {
    const target = targetTable(options.into);
    const preset = presetFor(options.into);
    if (!target || !preset) {
      throw new MappingError(
        `--into must be one of trading_metrics, trading_candles, trading_trades, system_events`,
      );
    }
    const path = resolve(options.path);
    const id = options.sourceId ?? `${options.format}:${path}#${fingerprint(path)}`;
    const glob = options.format === 'parquet' && isFolder(path) ? join(path, '**', '*.parquet') : path;
    return db.withConnection(async (c) => {
      const probe = readerSql(options, glob, null);
      const columns = await describe(c, `SELECT * FROM ${probe}`).catch((error: Error) => {
        throw new SourceError(`cannot read ${options.path}: ${firstLine(error.message)}`, { cause: error });
      });
      const tableColumns = await describe(c, `SELECT * FROM ${target.name}`);
      // Generated columns are not copied: event ids come from the sequence, series ids from the series columns.
      const own = tableColumns.filter(
        (col) => !(target.name === 'system_events' && col === 'id') && col !== 'series_id',
      );
      const overridden =
        Object.keys({ ...options.map, ...options.set }).length > 0 || options.timeColumn !== undefined;
      const verbatim =
        options.format === 'parquet' && !overridden && own.every((col) => columns.includes(col));
      const mapping = verbatim ? null : resolveMapping(target, preset, columns, options);
      const typed = mapping
        ? Object.fromEntries(
            mapping.fields.flatMap(({ field, source }) =>
              source && source.kind !== 'constant' ? [[source.column, TYPES[field.type]]] : [],
            ),
          )
        : null;
      const reader = readerSql(
        options,
        glob,
        typed && options.format === 'csv'
          ? { ...Object.fromEntries(columns.map((col) => [col, 'VARCHAR'])), ...typed }
          : null,
      );
      return new FileSource(options, id, target, reader, mapping, own);
    });
  }

  async run(context: ImportContext): Promise<SourceRunResult> {
    if (context.watermark === DONE) return { rows: 0, rejected: 0, badRows: [], skipped: true };
    await this.prepare(context.connection);
    context.progress(0, await this.count(context.connection, true));
    let rows = 0;
    await context.commit(async (c) => {
      await c.run(this.insertSql(context.resource));
      rows = await this.count(c, false);
      return rows;
    }, DONE);
    context.progress(rows, rows);
    return { rows, rejected: this.rejected, badRows: this.badRows, skipped: false };
  }

  async dailyTotals(connection: DuckDBConnection): Promise<DayTotal[]> {
    await this.prepare(connection);
    const sum = this.target.sumColumn ? `sum(${this.target.sumColumn})` : 'NULL';
    const reader = await connection.runAndReadAll(
      `SELECT strftime(ts, '%Y-%m-%d') AS day, count(*) AS n, ${sum} AS s FROM (${this.validRows()}) GROUP BY 1 ORDER BY 1`,
    );
    return reader
      .getRowObjectsJS()
      .map((r) => ({ day: String(r.day), count: Number(r.n), sum: r.s === null ? null : Number(r.s) }));
  }

  async close(): Promise<void> {
    // The temp table goes with the connection's session; nothing else is held.
  }

  /** Reads the files once into a temp table with a problem column and row numbers, and collects bad rows. */
  private async prepare(c: DuckDBConnection): Promise<void> {
    if (this.prepared) return;
    if (!this.mapping) {
      await c.run(
        `CREATE OR REPLACE TEMP TABLE ${ROWS} AS SELECT ${this.tableColumns.map((x) => sqlIdent(x)).join(', ')}, '' AS ${PROBLEM_COLUMN} FROM ${this.reader}`,
      );
      this.prepared = true;
      return;
    }
    const csv = this.options.format === 'csv';
    const columns = this.mapping.fields.map(({ field, source }) => {
      const raw =
        source === undefined
          ? undefined
          : source.kind === 'constant'
            ? sqlString(source.value)
            : source.kind === 'json_key'
              ? `json_extract_string(${sqlIdent(source.column)}, ${sqlString(`$.${source.key}`)})`
              : sqlIdent(source.column);
      return `${typedValue(field, raw)} AS ${sqlIdent(field.name)}`;
    });
    const rowNumber = csv ? 'row_number() OVER ()' : 'file_row_number + 1';
    await c.run(
      `CREATE OR REPLACE TEMP TABLE ${ROWS} AS SELECT *, ${problemSql(this.target.fields, { required: true, json: true })} AS ${PROBLEM_COLUMN}
       FROM (SELECT ${columns.join(', ')}, filename AS duckside_file, ${rowNumber} AS duckside_row FROM ${this.reader})`,
    );
    const bad = await c.runAndReadAll(
      `SELECT duckside_file AS file, duckside_row AS row, ${PROBLEM_COLUMN} AS problem, count(*) OVER () AS total FROM temp.${ROWS}
       WHERE ${PROBLEM_COLUMN} <> '' ORDER BY duckside_file, duckside_row LIMIT ${MAX_BAD_ROWS}`,
    );
    const rows = bad.getRowObjectsJS();
    const rejectedLines = csv ? await this.csvRejects(c) : [];
    this.rejected = Number(rows[0]?.total ?? 0) + rejectedLines.length;
    const lines = rejectedLines.map((r) => r.line).sort((a, b) => a - b);
    this.badRows = [
      ...rejectedLines,
      ...rows.map((r) => ({
        file: String(r.file),
        line: csv ? csvLine(Number(r.row), lines) : Number(r.row),
        problem: String(r.problem),
      })),
    ]
      .sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
      .slice(0, MAX_BAD_ROWS);
    this.prepared = true;
  }

  /** Lines `read_csv` could not parse (kept in its rejects table). */
  private async csvRejects(c: DuckDBConnection): Promise<BadRow[]> {
    const reader = await c.runAndReadAll(
      `SELECT s.file_path AS file, e.line AS line, string_agg(e.error_message, '; ') AS problem
       FROM duckside_reject_errors e JOIN duckside_reject_scans s USING (scan_id, file_id)
       GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return reader
      .getRowObjectsJS()
      .map((r) => ({ file: String(r.file), line: Number(r.line), problem: String(r.problem) }));
  }

  private validRows(): string {
    if (!this.mapping) return `SELECT * FROM temp.${ROWS}`;
    const columns = this.target.fields.map((f) =>
      f.type === 'json' ? `${jsonAttributes(sqlIdent(f.name))} AS ${sqlIdent(f.name)}` : sqlIdent(f.name),
    );
    return `SELECT ${columns.join(', ')} FROM temp.${ROWS} WHERE ${PROBLEM_COLUMN} = ''`;
  }

  private insertSql(resource: string): string {
    if (this.mapping) return this.target.insertSql(this.validRows(), resource);
    if (this.target.copySql) return this.target.copySql(`SELECT * FROM temp.${ROWS}`);
    const cols = this.tableColumns.map((x) => sqlIdent(x)).join(', ');
    const verb = this.target.name === 'trading_candles' ? 'INSERT OR REPLACE' : 'INSERT';
    return `${verb} INTO ${this.target.name} (${cols}) SELECT ${cols} FROM temp.${ROWS}`;
  }

  private async count(c: DuckDBConnection, all: boolean): Promise<number> {
    const reader = await c.runAndReadAll(
      `SELECT count(*) AS n FROM temp.${ROWS} ${all ? '' : `WHERE ${PROBLEM_COLUMN} = ''`}`,
    );
    return Number(reader.getRowObjectsJS()[0]?.n ?? 0);
  }
}

/** Converts a data row number of a CSV (rows `read_csv` kept) to its line, skipping the header and rejected lines. */
function csvLine(row: number, rejectedLines: readonly number[]): number {
  let line = row + 1;
  for (const rejected of rejectedLines) if (rejected <= line) line++;
  return line;
}

function readerSql(options: FileSourceOptions, glob: string, columns: Record<string, string> | null): string {
  if (options.format === 'parquet') {
    return `read_parquet(${sqlString(glob)}, hive_partitioning = true, filename = true, file_row_number = true)`;
  }
  const args = [sqlString(glob), 'header = true', 'filename = true'];
  if (options.delimiter) args.push(`delim = ${sqlString(options.delimiter)}`);
  if (columns) {
    const struct = Object.entries(columns)
      .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
      .join(', ');
    args.push(
      `columns = {${struct}}`,
      `store_rejects = true`,
      `rejects_table = 'duckside_reject_errors'`,
      `rejects_scan = 'duckside_reject_scans'`,
    );
  } else {
    args.push('all_varchar = true');
  }
  return `read_csv(${args.join(', ')})`;
}

async function describe(c: DuckDBConnection, select: string): Promise<string[]> {
  const reader = await c.runAndReadAll(`DESCRIBE ${select}`);
  return reader
    .getRowObjectsJS()
    .map((r) => String(r.column_name))
    .filter((n) => n !== 'filename' && n !== 'file_row_number');
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function fingerprint(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}-${Math.trunc(s.mtimeMs)}`;
  } catch {
    return 'glob';
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
