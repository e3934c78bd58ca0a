import type { DuckDBConnection } from '@duckdb/node-api';
import { ROLLUP_PENDING_TABLES } from '../catalog/rollup-tables.ts';
import type { RollupLevel } from './rollup-levels.ts';
import { stepTable, widthSql } from './rollup-sql.ts';

/**
 * Moves a batch of pending rows into the step's temp tables (`temp.rollup_step_*`) and deletes them from the
 * pending tables, inside the caller's transaction: every pending row before a boundary of the coarsest level,
 * the boundary chosen so that about `maxRows` rows move (at least one coarsest bucket), so no bucket of any level
 * is split between two steps. Returns the rows moved (0: nothing pending).
 * @example await c.run('BEGIN'); const n = await takePending(c, levels.at(-1), 100_000);
 */
export async function takePending(
  c: DuckDBConnection,
  coarsest: RollupLevel,
  maxRows: number,
): Promise<number> {
  const times = ROLLUP_PENDING_TABLES.map((t) => `SELECT ts FROM main.${t.name}`).join(' UNION ALL ');
  const reader = await c.runAndReadAll(
    `SELECT time_bucket(${widthSql(coarsest)}, ts)::VARCHAR AS bucket, count(*)::BIGINT AS n FROM (${times})
     GROUP BY 1 ORDER BY 1`,
  );
  const buckets = reader.getRowObjectsJS() as { bucket: string; n: bigint }[];
  if (buckets.length === 0) return 0;
  let rows = 0;
  let cut = 0;
  while (cut < buckets.length && (cut === 0 || rows + Number(buckets[cut]?.n) <= maxRows)) {
    rows += Number(buckets[cut]?.n);
    cut++;
  }
  const next = buckets[cut]?.bucket;
  const where = next === undefined ? '' : ` WHERE ts < TIMESTAMP '${next}'`;
  for (const t of ROLLUP_PENDING_TABLES) {
    await c.run(`CREATE OR REPLACE TEMP TABLE ${stepTable(t.name)} AS SELECT * FROM main.${t.name}${where}`);
    await c.run(`DELETE FROM main.${t.name}${where}`);
  }
  return rows;
}
