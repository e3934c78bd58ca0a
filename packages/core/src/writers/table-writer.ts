import type { DuckDBConnection } from '@duckdb/node-api';
import { AppendSession, appendTable } from './chunk-appender.ts';
import { type ColumnarTable, concatTables } from './columnar-table.ts';
import { SEQUENCED_TABLES, withSequenceIds } from './sequenced-tables.ts';
import { STAGED_TABLES, stageName } from './staged-tables.ts';

/**
 * Writes columnar tables inside the caller's transaction: appended through one appender per table; for the
 * staged tables (series, candles), gathered and moved through their temp stage by one set-based statement; for
 * the sequenced ones (events), gathered, given ids by one query and appended. Everything takes effect in
 * {@link finish}, which needs few flushes and statements however many small tables were written.
 * @example const w = new TableWriter(c); for (const t of tables) await w.write(t); await w.finish(); // COMMIT
 */
export class TableWriter {
  private readonly session: AppendSession;
  /** Tables of the staged and sequenced kinds, gathered until {@link finish}. */
  private readonly staged = new Map<string, ColumnarTable[]>();
  private readonly rows = new Map<string, number>();

  constructor(private readonly connection: DuckDBConnection) {
    this.session = new AppendSession(connection);
  }

  /** Writes one table (appended rows are buffered, staged ones gathered until {@link finish}). */
  async write(table: ColumnarTable): Promise<void> {
    if (table.length === 0) return;
    if (!table.bookkeeping) this.rows.set(table.table, (this.rows.get(table.table) ?? 0) + table.length);
    if (!STAGED_TABLES[table.table] && !SEQUENCED_TABLES[table.table]) {
      await this.session.append(table);
      return;
    }
    const list = this.staged.get(table.table);
    if (list) list.push(table);
    else this.staged.set(table.table, [table]);
  }

  /** Moves the staged tables and flushes the appended rows into their tables (before COMMIT). */
  async finish(): Promise<void> {
    for (const [name, list] of this.staged) {
      if (!SEQUENCED_TABLES[name]) await this.moveStaged(concatTables(list));
      else for (const table of await withSequenceIds(this.connection, list)) await this.session.append(table);
    }
    this.staged.clear();
    await this.session.close();
  }

  /** Rows written so far, by table (series, candles and events before duplicates are merged; bookkeeping tables such as `rollup_dirty` not counted). */
  get rowsByTable(): ReadonlyMap<string, number> {
    return this.rows;
  }

  /** Drops unflushed rows after a failure (the caller rolls back). */
  abandon(): void {
    this.staged.clear();
    this.session.abandon();
  }

  private async moveStaged(table: ColumnarTable): Promise<void> {
    const staged = STAGED_TABLES[table.table] as (typeof STAGED_TABLES)[string];
    const stage = stageName(table.table);
    await this.connection.run(
      `CREATE TEMP TABLE IF NOT EXISTS ${stage} AS SELECT ${staged.columns.join(', ')} FROM main.${table.table} LIMIT 0`,
    );
    await appendTable(this.connection, { ...table, table: stage, catalog: 'temp' });
    await this.connection.run(staged.move(stage));
    await this.connection.run(`DELETE FROM ${stage}`);
  }
}
