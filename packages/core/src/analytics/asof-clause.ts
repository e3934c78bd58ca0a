import type { SqlParam } from '../query/compiled-query.ts';
import { keyNames, type MatchKeys, type SideColumns } from './asof-sources.ts';
import type { Duration } from './duration.ts';

/** Internal column names of the left side's CTE. */
export const LEFT_SIDE: SideColumns = { time: '_lts', key: (index) => `_lk_${index}` };
/** Internal column names of the right side's CTE. */
export const RIGHT_SIDE: SideColumns = { time: '_rts', key: (index) => `_rk_${index}` };

/** How one as-of match is made: left time column, strictness and tolerance. */
export interface AsofMatch {
  /** Left alias and time column, e.g. `l._lts` or a shifted time column. */
  leftTime: string;
  /** Only right rows strictly before the left time. */
  strict: boolean;
  /** Ignore a match older than this (the match is the latest row, so no row then qualifies). */
  tolerance?: Duration;
}

/**
 * ` ASOF LEFT JOIN <right> <alias> ON <keys equal> AND <left time> >= <alias>._rts` (`>` when strict).
 * @example asofJoin('l', 'r', 'm0', keys, { leftTime: 'l._lts', strict: false })
 */
export function asofJoinSql(
  left: string,
  right: string,
  alias: string,
  keys: MatchKeys,
  match: AsofMatch,
): string {
  const equal = keyNames(keys).map((_, i) => `${left}.${LEFT_SIDE.key(i)} = ${alias}.${RIGHT_SIDE.key(i)}`);
  const op = match.strict ? '>' : '>=';
  return ` ASOF LEFT JOIN ${right} ${alias} ON ${[...equal, `${match.leftTime} ${op} ${alias}.${RIGHT_SIDE.time}`].join(' AND ')}`;
}

/**
 * A boolean SQL expression: the as-of match of `alias` exists and is within the tolerance of the left time.
 * @example withinTolerance('m0', { leftTime: 'l._lts', strict: false, tolerance: parseDuration('5s') })
 */
export function withinTolerance(alias: string, match: AsofMatch): { sql: string; params: SqlParam[] } {
  const matched = `${alias}.${RIGHT_SIDE.time} IS NOT NULL`;
  if (!match.tolerance) return { sql: matched, params: [] };
  return {
    sql: `(${matched} AND ${alias}.${RIGHT_SIDE.time} >= ${match.leftTime} - ?::INTERVAL)`,
    params: [match.tolerance.sql],
  };
}
