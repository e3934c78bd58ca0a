import type { DuckDBConnection } from '@duckdb/node-api';
import { ROLLUP_LEVELS } from '../catalog/rollup-tables.ts';
import type { RollupLevel } from './rollup-levels.ts';
import { markStoredSql } from './rollup-sql.ts';

/** Runs a statement with text parameters. */
async function run(connection: DuckDBConnection, sql: string, params: readonly string[] = []): Promise<void> {
  if (params.length === 0) await connection.run(sql);
  else await connection.run(sql, [...params]);
}

/**
 * Marks every stored bucket of `levels` dirty, within `[from, to)` when given (TIMESTAMP text), inside the
 * caller's transaction: the maintenance step then re-aggregates them (a rebuild after a bulk import).
 * @example await markStoredDirty(connection, levels.slice(0, 1), { from: '2024-01-01' });
 */
export async function markStoredDirty(
  connection: DuckDBConnection,
  level: RollupLevel,
  range: { from?: string; to?: string } = {},
): Promise<void> {
  const marks = markStoredSql(level, range);
  for (let i = 0; i < marks.sql.length; i++) await run(connection, marks.sql[i]!, marks.params[i]);
}

/**
 * Brings `rollup_levels` to the configured levels in one transaction: a level no longer configured loses its
 * rollup rows; a new one is recorded and every stored bucket marked dirty, so the maintenance step builds it.
 * Returns the labels added and removed.
 * @example await syncRollupLevels(connection, rollupLevels(['1m', '1h']));
 */
export async function syncRollupLevels(
  connection: DuckDBConnection,
  levels: readonly RollupLevel[],
): Promise<{ added: string[]; removed: string[] }> {
  const reader = await connection.runAndReadAll(`SELECT width_seconds, label FROM ${ROLLUP_LEVELS.name}`);
  const stored = reader
    .getRowObjectsJS()
    .map((r) => ({ seconds: Number(r.width_seconds), label: String(r.label) }));
  const removed = stored.filter((s) => !levels.some((l) => l.seconds === s.seconds));
  const added = levels.filter((l) => !stored.some((s) => s.seconds === l.seconds));
  if (removed.length === 0 && added.length === 0) return { added: [], removed: [] };
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const r of removed) {
      for (const table of ['rollup_metrics', 'rollup_histograms', 'rollup_trades']) {
        await connection.run(`DELETE FROM ${table} WHERE level_seconds = ${r.seconds}`);
      }
      await connection.run(`DELETE FROM ${ROLLUP_LEVELS.name} WHERE width_seconds = ${r.seconds}`);
    }
    for (const l of added) {
      await run(connection, `INSERT INTO ${ROLLUP_LEVELS.name} VALUES (${l.seconds}, ?, now()::TIMESTAMP)`, [
        l.label,
      ]);
      await markStoredDirty(connection, l);
    }
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return { added: added.map((l) => l.label), removed: removed.map((r) => r.label) };
}
