/** A bound parameter value. Times are passed as text and cast in SQL. */
export type SqlParam = string | number | bigint | boolean | null;

/**
 * A narrower form of a query that gives the same answer whenever it returns at least `minRows` rows, e.g. a
 * newest-N over the last part of the range: once that part holds N rows, no older point can be among them.
 */
export interface Shortcut {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  readonly minRows: number;
}

/** A row of the series step: `series_id` and the series columns the answer's rows take. */
export type SeriesRow = Record<string, unknown> & { series_id: unknown };

/** The points step of a series-first query, for one list of series ids. */
export interface PointsStep {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  /** Tried in order before `sql`, as a compiled query's shortcuts. */
  readonly shortcuts: readonly Shortcut[];
  /**
   * What makes the shortcuts hit or miss alike (e.g. order, limit and range width): the executor starts the next
   * query of the same shape and series at the shortcut that answered the last one.
   */
  readonly shape: string;
}

/**
 * A query that runs in two steps: first its series (a small statement over `metric_series`, whose answer the
 * database keeps until a write adds series), then its points by literal series ids. With the ids written out,
 * DuckDB prunes row groups by their `series_id` statistics and the points scan is not a join; the series
 * columns are joined in JS. The executor runs the compiled `sql` instead when more than `maxSeries` match.
 */
export interface SeriesFirst<R> {
  /** `SELECT series_id, … FROM metric_series WHERE …`: the matching series and the columns rows take. */
  readonly series: { readonly sql: string; readonly params: readonly SqlParam[] };
  /** Most series the points step takes as literals. */
  readonly maxSeries: number;
  /** The points step for these series ids (decimal text); its rows carry `series_id`. */
  points(ids: readonly string[]): PointsStep;
  /** One answer row from a points row and its series row. */
  row(point: Record<string, unknown>, series: SeriesRow): R;
}

/**
 * A compiled query: SQL text with `?` placeholders and its bound parameters, frozen.
 * `R` is the row type the executor returns.
 */
export interface CompiledQuery<R = Record<string, unknown>> {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  /** Tried in order before `sql`; the first that returns enough rows is the answer. */
  readonly shortcuts?: readonly Shortcut[];
  /**
   * What answers it, when the builder chose among sources: `raw`, `rollup:<level>` or `rollup:<level>+raw`
   * (rollup buckets plus raw rows at unaligned edges), see docs/rollups.md.
   */
  readonly source?: string;
  /**
   * The same query for when `rollup_dirty` is empty (no raw rows of dirty buckets to read): the executor checks
   * that and runs this instead, in the same snapshot.
   */
  readonly clean?: { readonly sql: string; readonly params: readonly SqlParam[] };
  /** The same query in two steps, series then points by literal ids (see {@link SeriesFirst}); preferred when set. */
  readonly bySeries?: SeriesFirst<R>;
  /** Phantom field carrying the row type; never set. */
  readonly __row?: R;
}

/**
 * Freezes a query, its parameters and its shortcuts.
 * @example compiled<{ n: number }>('SELECT ? AS n', [1])
 */
export function compiled<R>(
  sql: string,
  params: readonly SqlParam[],
  shortcuts: readonly Shortcut[] = [],
  source?: string,
  clean?: { sql: string; params: readonly SqlParam[] },
): CompiledQuery<R> {
  const frozen = shortcuts.map((s) => Object.freeze({ ...s, params: Object.freeze([...s.params]) }));
  return Object.freeze({
    sql,
    params: Object.freeze([...params]),
    ...(frozen.length > 0 ? { shortcuts: Object.freeze(frozen) } : {}),
    ...(source === undefined ? {} : { source }),
    ...(clean === undefined
      ? {}
      : { clean: Object.freeze({ sql: clean.sql, params: Object.freeze([...clean.params]) }) }),
  });
}

/**
 * Quotes an identifier that has already passed an allowlist.
 * @example quoteIdent('trading_metrics') // '"trading_metrics"'
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
