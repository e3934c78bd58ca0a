/**
 * A vector in keyed form: values by series key `(sid, t, v)` and the labels of each key `(sid, labels)`, so
 * that label work (grouping, dropping `__name__`) happens once per series instead of once per row.
 */
export interface KeyedVector {
  values: string;
  series: string;
}

/**
 * A compiled (sub)expression. Vectors are relations `(labels, t, v)` (one row per series and step), scalars
 * `(t, v)` (one row per step), matrices `(labels, t, st, v)` (raw samples per step; only as a query's result).
 * A vector may also carry its {@link KeyedVector} form (the same rows), which consumers may read instead.
 */
export type CompiledValue =
  | { type: 'vector'; cte: string; keyed?: KeyedVector }
  | { type: 'scalar'; cte: string }
  | { type: 'matrix'; cte: string }
  | { type: 'string'; value: string };

/**
 * The rows of a keyed vector as `(labels, t, v)`.
 * @example joinKeyed(plan, { values: 'q7', series: 'q8' })
 */
export function keyedRowsSql(keyed: KeyedVector): string {
  return `SELECT s.labels, x.t, x.v FROM ${keyed.values} x JOIN ${keyed.series} s USING (sid)`;
}
