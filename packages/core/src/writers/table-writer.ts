import type { DuckDBConnection } from '@duckdb/node-api';
import { AppendSession, appendTable } from './chunk-appender.ts';
import type { ColumnarTable } from './columnar-table.ts';
import { STAGED_TABLES, stageName } from './staged-tables.ts';

/**
 * Writes columnar tables inside the caller's transaction: appended (through one appender per table, flushed by
 * {@link finish}), or through their temp stage and set-based move for the staged tables (series, candles,
 * events), which take effect at once.
 * @example const w = new TableWriter(c); for (const t of tables) await w.write(t); w.finish(); // then COMMIT
 */
export class TableWriter {
  private readonly session: AppendSession;

  constructor(private readonly connection: DuckDBConnection) {
    this.session = new AppendSession(connection);
  }

  /** Writes one table. */
  async write(table: ColumnarTable): Promise<void> {
    const staged = STAGED_TABLES[table.table];
    if (!staged) {
      await this.session.append(table);
      return;
    }
    const stage = stageName(table.table);
    await this.connection.run(
      `CREATE TEMP TABLE IF NOT EXISTS ${stage} AS SELECT ${staged.columns.join(', ')} FROM main.${table.table} LIMIT 0`,
    );
    await appendTable(this.connection, { ...table, table: stage, catalog: 'temp' });
    await this.connection.run(staged.move(stage));
    await this.connection.run(`DELETE FROM ${stage}`);
  }

  /** Flushes the appended rows into their tables (before COMMIT). */
  finish(): void {
    this.session.close();
  }

  /** Drops unflushed rows after a failure (the caller rolls back). */
  abandon(): void {
    this.session.abandon();
  }
}

/**
 * Writes one columnar table inside the caller's transaction (see {@link TableWriter}).
 * @example await connection.run('BEGIN'); await writeTable(connection, table); await connection.run('COMMIT');
 */
export async function writeTable(connection: DuckDBConnection, table: ColumnarTable): Promise<void> {
  const writer = new TableWriter(connection);
  try {
    await writer.write(table);
    writer.finish();
  } catch (error) {
    writer.abandon();
    throw error;
  }
}
