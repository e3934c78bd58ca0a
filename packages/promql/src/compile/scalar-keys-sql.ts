import type { SqlPlan } from './plan.ts';
import type { ScalarKey } from './scalar-key.ts';

/** Most series ids written into a points filter (beyond that the join alone narrows the scan). */
const MAX_LISTED_IDS = 16;

/**
 * A relation of matched scalar series `(series_id, kind, is_monotonic, labels, sid)` from one bound JSON
 * parameter (parallel label name and value lists, names sorted): no label is computed in SQL.
 * @example plan.cte(scalarKeysSql(plan, keys), true)
 */
export function scalarKeysSql(plan: SqlPlan, keys: readonly ScalarKey[]): string {
  if (keys.length === 0) {
    return `SELECT 0::UBIGINT AS series_id, 0::UTINYINT AS kind, FALSE AS is_monotonic,
      MAP {}::MAP(VARCHAR, VARCHAR) AS labels, 0::UBIGINT AS sid WHERE FALSE`;
  }
  const json = JSON.stringify(
    keys.map((k) => ({
      i: k.id,
      k: k.kind,
      m: k.monotonic,
      n: k.labels.map((l) => l[0]),
      v: k.labels.map((l) => l[1]),
    })),
  );
  const p = plan.param(json);
  return `SELECT series_id, kind, is_monotonic, labels, hash(labels) AS sid FROM (
    SELECT r.i AS series_id, r.k AS kind, r.m AS is_monotonic, map(r.n, r.v) AS labels
    FROM (SELECT unnest(from_json(${p}::VARCHAR,
      '[{"i":"UBIGINT","k":"UTINYINT","m":"BOOLEAN","n":["VARCHAR"],"v":["VARCHAR"]}]')) AS r))`;
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
