import type { DuckDBResultReader } from '@duckdb/node-api';
import type { SeriesFirst, SeriesRow, Shortcut, SqlParam } from '../query/compiled-query.ts';
import { readRows } from '../query/row-conversion.ts';
import type { SeriesLookups } from './series-lookups.ts';
import type { ShortcutHints } from './shortcut-hints.ts';

/** Runs one statement; `cap` is the most rows read (all when undefined). */
export type StatementReader = (
  sql: string,
  params: readonly SqlParam[],
  cap: number | undefined,
) => Promise<DuckDBResultReader>;

/**
 * Tries the shortcuts in order from `first`, then `whole`: the first shortcut that returns at least its
 * `minRows` (or `cap`, past which the answer is truncated anyway: its first rows are the whole query's) is the
 * answer. `answered` is that shortcut's index, or the number of shortcuts when `whole` answered.
 */
export async function readWithShortcuts(
  read: StatementReader,
  shortcuts: readonly Shortcut[],
  cap: number | undefined,
  whole: () => Promise<DuckDBResultReader>,
  first = 0,
): Promise<{ reader: DuckDBResultReader; answered: number }> {
  for (let i = first; i < shortcuts.length; i++) {
    const shortcut = shortcuts[i] as Shortcut;
    const reader = await read(shortcut.sql, shortcut.params, cap);
    if (reader.currentRowCount >= Math.min(shortcut.minRows, cap ?? Infinity)) return { reader, answered: i };
  }
  return { reader: await whole(), answered: shortcuts.length };
}

/**
 * Runs a series-first query (see `SeriesFirst`): its series step through `lookups`, then its points step by
 * literal ids, the rows joined in JS. Undefined when more series match than the plan takes (the caller then
 * runs the compiled statement).
 */
export async function readSeriesFirst<R>(
  plan: SeriesFirst<R>,
  memory: { lookups: SeriesLookups; hints: ShortcutHints },
  read: StatementReader,
  maxRows: number | undefined,
): Promise<{ rows: R[]; truncated: boolean } | undefined> {
  const { sql, params } = plan.series;
  const series = await memory.lookups.get(sql, params, async () =>
    readRows<SeriesRow>(await read(sql, params, undefined)),
  );
  if (series.length > plan.maxSeries) return undefined;
  if (series.length === 0) return { rows: [], truncated: false };
  const byId = new Map(series.map((s) => [String(s.series_id), s]));
  const step = plan.points([...byId.keys()]);
  const cap = maxRows === undefined ? undefined : maxRows + 1;
  // Shapes are told apart by their series too: the same range may be dense for one metric and sparse for another.
  const shape = `${sql}\u0000${String(params)}\u0000${step.shape}`;
  const { reader, answered } = await readWithShortcuts(
    read,
    step.shortcuts,
    cap,
    () => read(step.sql, step.params, cap),
    memory.hints.start(shape),
  );
  memory.hints.record(shape, answered);
  const points = readRows<Record<string, unknown>>(reader, maxRows);
  const rows = points.map((p) => plan.row(p, byId.get(String(p.series_id)) as SeriesRow));
  return { rows, truncated: maxRows !== undefined && reader.currentRowCount > maxRows };
}
