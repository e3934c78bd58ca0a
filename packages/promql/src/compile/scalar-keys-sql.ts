import type { ScalarKey } from '../scalar-series-match.ts';
import type { SqlPlan } from './plan.ts';

/** Most series ids written into a points filter (beyond that the join alone narrows the scan). */
const MAX_LISTED_IDS = 16;

/** The bit of a point shape in a key's `shapes` mask: (kind 1 or 2, monotonic) as 0..3. */
const shapeBit = (kind: 1 | 2, monotonic: boolean) => (kind - 1) * 2 + (monotonic ? 1 : 0);

/**
 * Whether point `p`'s shape is one of key `k`'s (`shapes` mask, see {@link scalarKeysSql}).
 * @example `... JOIN keys k ON p.series_id = k.series_id WHERE ${keyShapeSql('p', 'k')}`
 */
export function keyShapeSql(p: string, k: string): string {
  return `${p}.kind IN (1, 2) AND ((${k}.shapes >> ((${p}.kind - 1) * 2 + coalesce(${p}.is_monotonic, FALSE)::INTEGER)) & 1) = 1`;
}

/**
 * A relation of matched scalar series `(series_id, shapes, labels, sid)` from one bound JSON parameter
 * (parallel label name and value lists, names sorted): no label is computed in SQL. Shapes of one stored
 * series with equal labels are one row with a mask of its (kind, monotonic) shapes, so the points join on
 * `series_id` alone (see {@link keyShapeSql}); the masks of one series' rows never overlap.
 * @example plan.cte(scalarKeysSql(plan, keys), true)
 */
export function scalarKeysSql(plan: SqlPlan, keys: readonly ScalarKey[]): string {
  if (keys.length === 0) {
    return `SELECT 0::UBIGINT AS series_id, 0::INTEGER AS shapes, MAP {}::MAP(VARCHAR, VARCHAR) AS labels,
      0::UBIGINT AS sid WHERE FALSE`;
  }
  const rows = new Map<string, { i: string; s: number; n: string[]; v: string[] }>();
  for (const k of keys) {
    const n = k.labels.map((l) => l[0]);
    const v = k.labels.map((l) => l[1]);
    const key = JSON.stringify([k.id, n, v]);
    const row = rows.get(key);
    if (row) row.s |= 1 << shapeBit(k.kind, k.monotonic);
    else rows.set(key, { i: k.id, s: 1 << shapeBit(k.kind, k.monotonic), n, v });
  }
  const p = plan.param(JSON.stringify([...rows.values()]));
  return `SELECT series_id, shapes, labels, hash(labels) AS sid FROM (
    SELECT r.i AS series_id, r.s AS shapes, map(r.n, r.v) AS labels
    FROM (SELECT unnest(from_json(${p}::VARCHAR,
      '[{"i":"UBIGINT","s":"INTEGER","n":["VARCHAR"],"v":["VARCHAR"]}]')) AS r))`;
}

/**
 * ` AND <column> IN (...)` of the keys' series ids when they are few (so the scan can skip row groups; a longer list becomes a join that costs more than it saves), else ''.
 * Ids are the catalog's decimal text of stored UBIGINTs, never user input.
 */
export function seriesIdFilter(column: string, keys: readonly ScalarKey[]): string {
  const ids = [...new Set(keys.map((k) => k.id))];
  if (ids.length === 0 || ids.length > MAX_LISTED_IDS) return '';
  if (!ids.every((id) => /^\d+$/.test(id))) return '';
  return ` AND ${column} IN (${ids.map((id) => `${id}::UBIGINT`).join(', ')})`;
}
