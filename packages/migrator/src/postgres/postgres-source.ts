import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { appendTable } from '@duckside/core/ingest';
import pg from 'pg';
import { MappingError, SourceError } from '../errors/errors.ts';
import type { DayTotal, ImportContext, Source, SourceRunResult } from '../import/source.ts';
import { sqlIdent, sqlString } from '../sql/sql-text.ts';
import { jsonAttributes, needsChecks, PROBLEM_COLUMN, problemSql, typedValue } from '../targets/field-sql.ts';
import {
  type FieldSource,
  type MappingOptions,
  type ResolvedMapping,
  resolveMapping,
} from '../targets/mapping.ts';
import { PRESETS, type PresetName } from '../targets/presets.ts';
import { TARGETS, type TargetField, type TargetTable } from '../targets/target-tables.ts';
import { BinaryCopyParser } from './binary-copy-parser.ts';
import { copyOutStream } from './copy-out-stream.ts';
import { microsToIso, readTimestampMicros } from './pg-values.ts';
import {
  DICT_TABLE,
  KEY_COLUMN,
  STAGE_TABLE,
  StageBatch,
  type StagedField,
  type StageLayout,
  stageSpec,
} from './stage-batch.ts';

/** Where and what to import from PostgreSQL or TimescaleDB. */
export interface PostgresSourceOptions extends MappingOptions {
  /** Connection URL; when absent, the `PG*` environment variables (PGHOST, PGPORT, PGUSER, ...) apply. */
  url?: string;
  /** Table or view (`schema.table`); hypertables are ordinary tables to a reader. */
  table?: string;
  /** A SELECT instead of a table. */
  query?: string;
  /** Layout of the source (default mapping and target table). */
  preset: PresetName;
  /** Watermark key; default derived from host, port, database and table or query. */
  sourceId?: string;
  /** Rows per committed batch (default 200,000; a batch is extended until the time changes). */
  batchRows?: number;
}

const TIME_TYPES = new Map([
  [1184, 'timestamptz'],
  [1114, 'timestamp'],
  [1082, 'date'],
]);
const MAX_SEALED = 2;
const PG_CASTS = { timestamp: 'timestamptz', double: 'float8', text: 'text', json: 'jsonb' } as const;

interface Selected extends StagedField {
  readonly sql: string;
}

/**
 * Imports from PostgreSQL/TimescaleDB with `COPY (SELECT ... ORDER BY time) TO STDOUT (FORMAT binary)`, streamed
 * through pg-copy-streams into core's appender in constant memory. Only reads: works with a read-only role.
 * Batches end where the time changes, and each is committed with the time of its last row as the watermark, so
 * that a run after a crash continues with `time > watermark`: no gap, no duplicate.
 * @example
 * const source = await PostgresSource.open({ url: 'postgres://reader@tsdb/market', table: 'metrics', preset: 'metrics' });
 * await runImport(db, source);
 */
export class PostgresSource implements Source {
  readonly id: string;
  readonly description: string;
  readonly target: TargetTable;
  readonly marksRows = true;
  /** Selected fields: the time, the other point fields, then the key fields (see {@link StageLayout}). */
  private readonly selected: Selected[];
  private readonly layout: StageLayout;

  private constructor(
    private readonly client: pg.Client,
    private readonly relation: string,
    private readonly mapping: ResolvedMapping,
    private readonly timeColumn: { sql: string; type: string },
    private readonly batchRows: number,
    id: string,
  ) {
    this.id = id;
    this.target = mapping.target;
    this.description = `PostgreSQL ${id} -> ${this.target.name}`;
    const selected = mapping.fields.flatMap(({ field, source }) =>
      source && source.kind !== 'constant' ? [{ ...field, sql: pgExpression(field, source) }] : [],
    );
    const keyed = selected.filter((f) => this.isKeyField(f));
    this.selected = [...selected.filter((f) => !this.isKeyField(f)), ...keyed];
    this.layout = { fields: this.selected, keyFrom: this.selected.length - keyed.length };
  }

  /**
   * Connects, reads the source's columns and resolves the mapping.
   * @throws SourceError when PostgreSQL cannot be reached or the table/query fails; MappingError for a bad mapping.
   */
  static async open(options: PostgresSourceOptions): Promise<PostgresSource> {
    if ((options.table === undefined) === (options.query === undefined)) {
      throw new MappingError('give exactly one of --table or --query');
    }
    const client = new pg.Client({ connectionString: options.url, application_name: 'duckside-migrate' });
    try {
      await client.connect();
      await client.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO'`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new SourceError(`cannot connect to PostgreSQL: ${(error as Error).message}`, { cause: error });
    }
    try {
      const relation = options.table
        ? `SELECT * FROM ${sqlIdent(options.table, true)}`
        : (options.query as string).trim().replace(/;+$/, '');
      const probe = await client.query(`SELECT * FROM (${relation}) q LIMIT 0`).catch((error: Error) => {
        throw new SourceError(`the source ${options.table ?? 'query'} cannot be read: ${error.message}`, {
          cause: error,
        });
      });
      const preset = PRESETS[options.preset];
      const mapping = resolveMapping(
        TARGETS[preset.target],
        preset,
        probe.fields.map((f) => f.name),
        options,
      );
      const timeSource = mapping.fields[0]?.source as { column: string };
      const timeField = probe.fields.find((f) => f.name === timeSource.column);
      const timeType = TIME_TYPES.get(timeField?.dataTypeID ?? 0);
      if (!timeType) {
        throw new MappingError(`time column ${timeSource.column} must be timestamptz, timestamp or date`);
      }
      const id = options.sourceId ?? sourceIdOf(client, options);
      const time = { sql: `q.${sqlIdent(timeSource.column)}`, type: timeType };
      return new PostgresSource(client, relation, mapping, time, options.batchRows ?? 200_000, id);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  async run(context: ImportContext): Promise<SourceRunResult> {
    const conn = context.connection;
    const where =
      context.watermark === null
        ? ''
        : `WHERE ${this.timeColumn.sql} > ${this.watermarkLiteral(context.watermark)}`;
    const total = await this.estimateRows(where);
    context.progress(0, total);
    const select = `SELECT ${this.selected.map((s) => s.sql).join(', ')} FROM (${this.relation}) q ${where}
      ORDER BY ${this.timeColumn.sql}`;
    const spec = stageSpec(this.layout);
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} (${spec.map((c) => `${c.name} ${stageType(c.kind)}`).join(', ')})`,
    );
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${DICT_TABLE} (f INTEGER, id UINTEGER, v VARCHAR)`);
    // Key fields are only laid out when the target takes keyed inserts (see isKeyField).
    const insert =
      this.layout.keyFrom < this.selected.length && this.target.keyedInsertSql
        ? this.target.keyedInsertSql(this.keysRelation(), this.pointsRelation(), context.resource)
        : this.target.insertSql(this.stagedRelation(), context.resource);
    // Required fields were checked while reading, and PostgreSQL's jsonb is valid JSON.
    const checks = { required: false, json: false };
    const check = needsChecks(this.target.fields, checks)
      ? `SELECT ${PROBLEM_COLUMN}, ts FROM (SELECT ts, ${problemSql(this.target.fields, checks)}
           AS ${PROBLEM_COLUMN} FROM (${this.stagedRelation()})) WHERE ${PROBLEM_COLUMN} <> '' LIMIT 1`
      : null;
    let rows = 0;
    const flush = async (batch: StageBatch) => {
      await context.commit(async (c) => {
        await appendTable(c, batch.stageTable(), { rowsPerFlush: Infinity });
        await appendTable(c, batch.dictTable());
        if (check) await failOnProblem(c, check);
        await c.run(insert);
        await c.run(`DELETE FROM temp.${STAGE_TABLE}`);
        await c.run(`DELETE FROM temp.${DICT_TABLE}`);
        return batch.length;
      }, microsToIso(batch.lastMicros));
    };
    try {
      rows = await this.stream(select, flush, (n) => context.progress(n, total));
    } finally {
      await conn.run(`DROP TABLE IF EXISTS temp.${STAGE_TABLE}`).catch(() => undefined);
      await conn.run(`DROP TABLE IF EXISTS temp.${DICT_TABLE}`).catch(() => undefined);
    }
    return { rows, rejected: 0, badRows: [], skipped: false };
  }

  async dailyTotals(): Promise<DayTotal[]> {
    const sumField = this.mapping.fields.find((f) => f.field.name === this.target.sumColumn);
    const sum = sumField ? `sum(${pgSumExpression(sumField.field, sumField.source)})` : 'NULL';
    const result = await this.client.query<{ day: string; n: string; s: number | null }>(
      `SELECT to_char(${this.timeColumn.sql}, 'YYYY-MM-DD') AS day, count(*) AS n, ${sum}::float8 AS s
       FROM (${this.relation}) q GROUP BY 1 ORDER BY 1`,
    );
    return result.rows.map((r) => ({ day: r.day, count: Number(r.n), sum: r.s }));
  }

  async close(): Promise<void> {
    await Promise.race([
      this.client.end(),
      new Promise<void>((resolve) => setTimeout(resolve, 2000).unref()),
    ]).catch(() => undefined);
  }

  /**
   * Streams the COPY, sealing a batch whenever it is full and the time moves on. Sealed batches are committed one
   * after the other while parsing goes on (at most `MAX_SEALED` wait), so PostgreSQL, parsing and DuckDB overlap.
   * Returns the rows read.
   */
  private async stream(
    select: string,
    flush: (b: StageBatch) => Promise<void>,
    progress: (n: number) => void,
  ) {
    let batch = new StageBatch(this.layout);
    const sealed: StageBatch[] = [];
    const parser = new BinaryCopyParser(this.selected.length, (buffer, starts, lengths) => {
      const micros = lengths[0] === 8 ? readTimestampMicros(buffer, starts[0] as number) : null;
      if (micros === null || micros < 0)
        throw new MappingError('the time column holds NULL, infinity or a time before 1970');
      if (batch.length >= this.batchRows && micros !== batch.lastMicros) {
        sealed.push(batch);
        batch = new StageBatch(this.layout);
      }
      batch.add(buffer, starts, lengths, micros);
    });
    const stream = this.client.query(copyOutStream(`COPY (${select}) TO STDOUT (FORMAT binary)`));
    const writer = new BatchWriter(flush);
    const pushSealed = async () => {
      while (sealed.length > 0) await writer.push(sealed.shift() as StageBatch);
    };
    try {
      for await (const chunk of stream) {
        parser.write(chunk as Buffer);
        await pushSealed();
        progress(parser.rows);
      }
      parser.end();
      if (batch.length > 0) await writer.push(batch);
      await writer.drain();
    } catch (error) {
      stream.destroy();
      // Whole batches read before the failure (a bad row, a lost connection) are still committed, so a re-run
      // continues right after them; the batch the failure interrupted is not.
      await pushSealed().catch(() => undefined);
      await writer.drain().catch(() => undefined);
      if (error instanceof MappingError || !(error instanceof Error) || !('severity' in error)) throw error;
      throw new SourceError(`reading from PostgreSQL failed: ${error.message}`, { cause: error });
    }
    progress(parser.rows);
    return parser.rows;
  }

  /** The staged rows joined with their texts, one normalized column per field. */
  private stagedRelation(): string {
    const joins: string[] = [];
    const columns = this.mapping.fields.map((f) => this.fieldSql(f, 's', joins));
    return `SELECT ${columns.join(', ')} FROM temp.${STAGE_TABLE} s ${joins.join(' ')}`;
  }

  /** One row per key of the batch: `duckside_key` and every key field (see `TargetTable.keyedInsertSql`). */
  private keysRelation(): string {
    const joins: string[] = [];
    const columns = this.mapping.fields
      .filter(({ field }) => this.isKeyField(field))
      .map((f) => this.fieldSql(f, 't', joins));
    return `SELECT t.${KEY_COLUMN} AS duckside_key, ${columns.join(', ')}
      FROM (SELECT DISTINCT ${KEY_COLUMN} FROM temp.${STAGE_TABLE}) t ${joins.join(' ')}`;
  }

  /** The staged rows: `duckside_key` and every field that is not a key field. */
  private pointsRelation(): string {
    const joins: string[] = [];
    const columns = this.mapping.fields
      .filter(({ field }) => !this.isKeyField(field))
      .map((f) => this.fieldSql(f, 's', joins));
    return `SELECT s.${KEY_COLUMN} AS duckside_key, ${columns.join(', ')} FROM temp.${STAGE_TABLE} s ${joins.join(' ')}`;
  }

  /**
   * A field's normalized value over the stage row `row` (`AS` its name); a text field's dictionary join is added
   * to `joins`. Key fields read the row's key id, other texts their own id column.
   */
  private fieldSql(
    { field, source }: { field: TargetField; source?: FieldSource },
    row: string,
    joins: string[],
  ): string {
    const index = this.selected.findIndex((s) => s.name === field.name);
    let value: string;
    if (!source || source.kind === 'constant' || index < 0) {
      value = constantValue(field, source);
    } else if (field.type === 'timestamp' || field.type === 'double') {
      value = typedValue(field, `${row}.f${index}`);
    } else {
      const id = index >= this.layout.keyFrom ? `${row}.${KEY_COLUMN}` : `${row}.f${index}`;
      const text = field.type === 'json' ? jsonAttributes('v') : typedValue(field, 'v');
      joins.push(
        `LEFT JOIN (SELECT id, ${text} AS v FROM temp.${DICT_TABLE} WHERE f = ${index}) d${index} ON d${index}.id = ${id}`,
      );
      value = withFallback(field, `d${index}.v`);
    }
    return `${value} AS "${field.name}"`;
  }

  /** True for a text field the target groups rows by (a metric's series fields). */
  private isKeyField(field: { name: string; type: string }): boolean {
    return (
      (field.type === 'text' || field.type === 'json') &&
      this.target.keyedInsertSql !== undefined &&
      (this.target.keyFields?.includes(field.name) ?? false)
    );
  }

  private watermarkLiteral(watermark: string): string {
    return this.timeColumn.type === 'timestamp'
      ? `${sqlString(watermark.replace('Z', ''))}::timestamp`
      : `${sqlString(watermark)}::timestamptz`;
  }

  private async estimateRows(where: string): Promise<number | undefined> {
    try {
      const plan = await this.client.query(
        `EXPLAIN (FORMAT JSON) SELECT 1 FROM (${this.relation}) q ${where}`,
      );
      const rows = (plan.rows[0] as { 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] })['QUERY PLAN'][0]
        ?.Plan['Plan Rows'];
      return typeof rows === 'number' && rows > 0 ? rows : undefined;
    } catch {
      return undefined;
    }
  }
}

/** A field's value from a constant (`--set`) or, when unmapped, its fallback. */
export function constantValue(field: TargetField, source: FieldSource | undefined): string {
  if (source?.kind !== 'constant') return typedValue(field, undefined);
  return field.type === 'json'
    ? jsonAttributes(sqlString(source.value))
    : typedValue(field, sqlString(source.value));
}

function withFallback(field: TargetField, value: string): string {
  return field.required || field.fallback === 'NULL' ? value : `coalesce(${value}, ${field.fallback})`;
}

/** Commits batches in order in the background, letting at most `MAX_SEALED` wait. */
class BatchWriter {
  private readonly inflight: Promise<void>[] = [];
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(private readonly flush: (b: StageBatch) => Promise<void>) {}

  /** Queues a batch; waits while too many are queued; throws the first commit failure. */
  async push(batch: StageBatch): Promise<void> {
    this.check();
    this.tail = this.tail
      .then(() => (this.failure === undefined ? this.flush(batch) : undefined))
      .catch((error: unknown) => {
        this.failure ??= error;
      });
    this.inflight.push(this.tail);
    while (this.inflight.length > MAX_SEALED) await this.inflight.shift();
    this.check();
  }

  /** Waits until every queued batch is committed; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.inflight.length = 0;
    this.check();
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

function pgExpression(field: TargetField, source: Exclude<FieldSource, { kind: 'constant' }>): string {
  const column = `q.${sqlIdent(source.column)}`;
  if (source.kind === 'json_key') return `(${column}::jsonb ->> ${sqlString(source.key)})::text`;
  return `${column}::${PG_CASTS[field.type]}`;
}

function pgSumExpression(field: TargetField, source: FieldSource | undefined): string {
  if (!source) return `${field.fallback}::float8`;
  if (source.kind === 'constant') return `${sqlString(source.value)}::float8`;
  const value = pgExpression(field, source);
  return field.required ? value : `coalesce(${value}, ${field.fallback}::float8)`;
}

function stageType(kind: string): string {
  return kind === 'uinteger' ? 'UINTEGER' : kind === 'double' ? 'DOUBLE' : 'TIMESTAMP';
}

async function failOnProblem(connection: DuckDBConnection, check: string): Promise<void> {
  const reader = await connection.runAndReadAll(check);
  const row = reader.getRowObjectsJS()[0];
  if (row)
    throw new MappingError(`a source row at ${String(row.ts)} is invalid: ${String(row[PROBLEM_COLUMN])}`);
}

function sourceIdOf(client: pg.Client, options: PostgresSourceOptions): string {
  const what = options.table
    ? `table=${options.table}`
    : `query=sha256:${createHash('sha256')
        .update(options.query ?? '')
        .digest('hex')
        .slice(0, 16)}`;
  return `postgres://${client.host}:${client.port}/${client.database}?${what}`;
}
