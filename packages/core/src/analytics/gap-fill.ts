import { ValidationError } from '../errors/errors.ts';
import { quoteIdent, type SqlParam } from '../query/compiled-query.ts';
import type { TimeInterval } from '../time/index.ts';
import { nanosToSqlTimestamp } from '../time/index.ts';
import type { Fragment } from './asof-sources.ts';

/**
 * How empty buckets are filled (TimescaleDB's `time_bucket_gapfill` with `locf`/`interpolate`):
 * - `none`: no filling, empty buckets are absent;
 * - `null`: every bucket of the range is present, empty ones with NULL values;
 * - `prev`: the last value before the bucket within the range (`locf`); NULL before the first one;
 * - `linear`: linear in time between the buckets before and after (`interpolate`); NULL before the first and after
 *   the last one;
 * - a number: that value.
 */
export type GapFill = 'none' | 'null' | 'prev' | 'linear' | number;

/** The named gap fill modes. */
export const GAP_FILL_MODES = ['none', 'null', 'prev', 'linear'] as const;

/**
 * Checks a gap fill mode; text that is a finite number (as from a query string) becomes that number.
 * @example parseGapFill('0') // 0
 */
export function parseGapFill(input: GapFill | string): GapFill {
  if (typeof input === 'number') {
    if (Number.isFinite(input)) return input;
  } else if ((GAP_FILL_MODES as readonly string[]).includes(input)) {
    return input as GapFill;
  } else if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(input.trim())) {
    return Number(input);
  }
  throw new ValidationError('fill', `must be one of ${GAP_FILL_MODES.join(', ')} or a finite number`);
}

/** How one column of a filled row is computed. */
export type ColumnFill =
  /** The column as is: NULL in an empty bucket. */
  | { kind: 'keep' }
  /** The column, or 0 in an empty bucket. */
  | { kind: 'zero' }
  /** The column, or the last non-NULL value of `of` before it (default the column itself). */
  | { kind: 'prev'; of?: string }
  /** The column, or its linear interpolation between the non-NULL values around it. */
  | { kind: 'linear' }
  /** The column, or a constant. */
  | { kind: 'value'; value: number };

/** The column fill of a value column under a gap fill mode (`prev` may take another column's last value). */
export function valueFill(mode: GapFill, prevOf?: string): ColumnFill {
  if (typeof mode === 'number') return { kind: 'value', value: mode };
  if (mode === 'prev') return prevOf ? { kind: 'prev', of: prevOf } : { kind: 'prev' };
  if (mode === 'linear') return { kind: 'linear' };
  return { kind: 'keep' };
}

/** A bucketed query to fill: its rows (one per bucket and group) and how to complete them. */
export interface GapFillSpec {
  /** The bucketed query (may start with its own WITH). */
  source: Fragment;
  /** Its bucket column (values on the `time_bucket` grid of `interval`). */
  bucket: string;
  /** Its group columns; each group seen in the source gets every bucket (see `knownGroups`). */
  groups: readonly string[];
  /**
   * The groups when they are known without looking at the data (ungrouped, or one symbol asked for): a query
   * returning the group columns. Those groups get every bucket even when the range holds no data.
   */
  knownGroups?: Fragment;
  /** Output columns and how each is filled. */
  columns: readonly (readonly [string, ColumnFill])[];
  interval: TimeInterval;
  /** Range ends in unix nanoseconds (as builders hold them). */
  from?: bigint;
  to?: bigint;
  mode: GapFill;
  limit: number;
}

/**
 * SQL that returns every bucket of `[time_bucket(from), to)` for each group with the columns filled, plus
 * `filled` (true for a bucket the source had no row for), ordered by bucket then groups. With mode `none` the
 * source rows are returned as they are (and `filled` is false).
 */
export function gapFillSql(spec: GapFillSpec): Fragment {
  const groups = spec.groups.map(quoteIdent);
  const bucket = quoteIdent(spec.bucket);
  const names = spec.columns.map(([c]) => quoteIdent(c));
  const order = [bucket, ...groups].join(', ');
  const window = `PARTITION BY ${groups.length > 0 ? groups.join(', ') : 'NULL'} ORDER BY ${bucket}`;
  if (spec.mode === 'none') {
    return {
      sql: `WITH src AS (${spec.source.sql})
SELECT ${[bucket, ...groups, ...names].join(', ')}, false AS filled FROM src ORDER BY ${order} LIMIT ?`,
      params: [...spec.source.params, spec.limit],
    };
  }
  if (spec.from === undefined || spec.to === undefined) {
    throw new ValidationError('from', 'gap filling needs both ends of the range (from and to)');
  }
  const params: SqlParam[] = [];
  const columns = spec.columns.map(
    ([name, fill]) => `${columnSql(quoteIdent(name), fill, bucket, params)} AS ${quoteIdent(name)}`,
  );
  const groupRows = spec.knownGroups?.sql ?? `SELECT DISTINCT ${groups.join(', ')} FROM src`;
  const join = [`src.${bucket} = b.${bucket}`, ...groups.map((g) => `src.${g} IS NOT DISTINCT FROM g.${g}`)];
  return {
    sql: `WITH src AS (${spec.source.sql}),
b AS (SELECT range AS ${bucket} FROM range(time_bucket(?::INTERVAL, ?::TIMESTAMP), ?::TIMESTAMP, ?::INTERVAL)),
g AS (${groupRows}),
grid AS (SELECT b.${bucket}, ${groups.map((x) => `g.${x}, `).join('')}${names.map((c) => `src.${c}`).join(', ')}, src.${bucket} IS NULL AS filled
  FROM b CROSS JOIN g LEFT JOIN src ON ${join.join(' AND ')})
SELECT ${order}, ${columns.join(', ')}, filled FROM grid
WINDOW w AS (${window}) ORDER BY ${order} LIMIT ?`,
    params: [
      ...spec.source.params,
      spec.interval.sql,
      nanosToSqlTimestamp(spec.from),
      nanosToSqlTimestamp(spec.to),
      spec.interval.sql,
      ...(spec.knownGroups?.params ?? []),
      ...params,
      spec.limit,
    ],
  };
}

const BEFORE = 'w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';
const AFTER = 'w ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING';

function columnSql(name: string, fill: ColumnFill, bucket: string, params: SqlParam[]): string {
  switch (fill.kind) {
    case 'zero':
      return `coalesce(${name}, 0)`;
    case 'value':
      params.push(fill.value);
      return `coalesce(${name}, ?::DOUBLE)`;
    case 'prev':
      return `coalesce(${name}, last_value(${fill.of ? quoteIdent(fill.of) : name} IGNORE NULLS) OVER (${BEFORE}))`;
    case 'linear': {
      const at = `CASE WHEN ${name} IS NOT NULL THEN epoch_us(${bucket}) END`;
      const pv = `last_value(${name} IGNORE NULLS) OVER (${BEFORE})`;
      const pt = `last_value(${at} IGNORE NULLS) OVER (${BEFORE})`;
      const nv = `first_value(${name} IGNORE NULLS) OVER (${AFTER})`;
      const nt = `first_value(${at} IGNORE NULLS) OVER (${AFTER})`;
      return `coalesce(${name}, ${pv} + (${nv} - ${pv}) * (epoch_us(${bucket}) - ${pt}) / (${nt} - ${pt}))`;
    }
    default:
      return name;
  }
}
