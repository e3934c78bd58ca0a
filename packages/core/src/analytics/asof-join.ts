import { ValidationError } from '../errors/errors.ts';
import { labelPointer, type WhereClause } from '../query/builder-base.ts';
import { type CompiledQuery, compiled } from '../query/compiled-query.ts';
import { RangedBuilder } from '../query/ranged-builder.ts';
import { addTimeRange } from '../query/time-range-clause.ts';
import { nanosToSqlTimestamp, type TimeRange } from '../time/index.ts';
import { type AsofMatch, asofJoinSql, LEFT_SIDE, RIGHT_SIDE, withinTolerance } from './asof-clause.ts';
import {
  type AsofLeft,
  type AsofLeftRows,
  type AsofRight,
  type AsofRightRows,
  leftColumns,
  type MatchKeys,
  rightColumns,
  sideCte,
} from './asof-sources.ts';
import { type Duration, parseDuration } from './duration.ts';

interface State {
  left: AsofLeft;
  right: AsofRight;
  symbol?: string;
  venue?: string;
  keys: MatchKeys;
  tolerance?: Duration;
  strict: boolean;
  from?: bigint;
  to?: bigint;
  limit: number;
}

/**
 * Right-side time bounds: nothing at or after `to` can match a left row before `to`; with a tolerance, nothing
 * older than `from - tolerance` can either (candles are matched from their end, so only the upper bound applies).
 */
export function rightTimeBounds(
  where: WhereClause,
  right: AsofRight,
  range: TimeRange,
  tolerance: Duration | undefined,
  lookAhead?: Duration,
): void {
  if (range.to !== undefined) {
    where.add(
      lookAhead ? 'ts < ?::TIMESTAMP + ?::INTERVAL' : 'ts < ?::TIMESTAMP',
      nanosToSqlTimestamp(range.to),
      ...(lookAhead ? [lookAhead.sql] : []),
    );
  }
  if (range.from !== undefined && tolerance && right.kind !== 'candles') {
    where.add('ts >= ?::TIMESTAMP - ?::INTERVAL', nanosToSqlTimestamp(range.from), tolerance.sql);
  }
}

/**
 * Joins each row of a left source (trades, events, metric points) to the latest row at or before its time of a
 * right source (a metric series, candles, trades), matched on symbol and optionally on venue and labels. Compiles
 * to DuckDB's `ASOF LEFT JOIN`: every left row in the range appears once, in time order; the `right_*` columns are
 * NULL when no right row qualifies (none before it, keys NULL or different, or the latest one older than the
 * tolerance). Among right rows with the same time, which one matches is unspecified.
 * @example
 * asofJoin({ kind: 'trades' }, { kind: 'metric', name: 'mid_price' }).symbol('BTC/USD').tolerance('5s').compile()
 */
export class AsofJoinBuilder<
  L extends AsofLeft['kind'],
  R extends AsofRight['kind'],
> extends RangedBuilder<State> {
  /** Only left rows of this symbol. */
  symbol(symbol: string): this {
    return this.with({ symbol });
  }
  /** Only left rows of this venue (the venue must then also match: see {@link matchVenue}). */
  venue(venue: string): this {
    return this.with({ venue, keys: { ...this.state.keys, venue: true } });
  }
  /** Match right rows of the same venue too (a metric's or event's venue is its `venue` label unless configured). */
  matchVenue(): this {
    return this.with({ keys: { ...this.state.keys, venue: true } });
  }
  /** Match right rows whose label `key` equals the left row's (both sides must be metrics or events). */
  matchLabel(key: string): this {
    labelPointer(key);
    if (this.state.keys.labels.length >= 8) throw new ValidationError('match', 'at most 8 labels');
    return this.with({ keys: { ...this.state.keys, labels: [...this.state.keys.labels, key] } });
  }
  /** Only right rows at most this long before the left row (e.g. `5s`, `250ms`). */
  tolerance(tolerance: string | number | Duration): this {
    return this.with({ tolerance: parseDuration(tolerance, 'tolerance') });
  }
  /** Only right rows strictly before the left row's time (default: at or before). */
  strictlyBefore(strict = true): this {
    return this.with({ strict });
  }

  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<AsofLeftRows[L] & AsofRightRows[R]> {
    const s = this.state;
    const equal = { symbol: s.symbol, venue: s.venue };
    const left = sideCte(s.left, 'left', s.keys, LEFT_SIDE, { equal, time: (w) => addTimeRange(w, s) });
    const right = sideCte(s.right, 'right', s.keys, RIGHT_SIDE, {
      equal,
      time: (w) => rightTimeBounds(w, s.right, s, s.tolerance),
    });
    const match: AsofMatch = {
      leftTime: `l.${LEFT_SIDE.time}`,
      strict: s.strict,
      ...(s.tolerance ? { tolerance: s.tolerance } : {}),
    };
    const ok = withinTolerance('r', match);
    const rights = ['right_ts', ...rightColumns(s.right.kind)].map(
      (c) => `CASE WHEN _ok THEN ${c} END AS ${c}`,
    );
    return compiled(
      `WITH l AS (${left.sql}), r AS (${right.sql}),
j AS (SELECT l.*, r.*, ${ok.sql} AS _ok FROM l${asofJoinSql('l', 'r', 'r', s.keys, match)})
SELECT ${leftColumns(s.left.kind)}, ${rights.join(', ')} FROM j ORDER BY ${LEFT_SIDE.time} LIMIT ?`,
      [...left.params, ...right.params, ...ok.params, s.limit],
    );
  }
}

/**
 * Starts an as-of join of `left` to `right` (10,000 rows by default, matched on symbol, at or before, no tolerance).
 * @example asofJoin({ kind: 'events', minSeverity: 'error' }, { kind: 'metric', name: 'spread_bps' }).between(from, to)
 */
export function asofJoin<LS extends AsofLeft, RS extends AsofRight>(
  left: LS,
  right: RS,
): AsofJoinBuilder<LS['kind'], RS['kind']> {
  return new AsofJoinBuilder({
    left,
    right,
    keys: { venue: false, labels: [] },
    strict: false,
    limit: 10_000,
  });
}
