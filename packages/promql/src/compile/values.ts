/**
 * A compiled (sub)expression. Vectors are relations `(labels, t, v)` (one row per series and step), scalars
 * `(t, v)` (one row per step), matrices `(labels, t, st, v)` (raw samples per step; only as a query's result).
 */
export type CompiledValue =
  | { type: 'vector'; cte: string }
  | { type: 'scalar'; cte: string }
  | { type: 'matrix'; cte: string }
  | { type: 'string'; value: string };
