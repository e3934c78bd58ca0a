import { ValidationError } from '../errors/errors.ts';
import { nanosToSqlTimestamp, type TimeInterval, type TimeRange } from '../time/index.ts';
import type { WhereClause } from './builder-base.ts';

/** Adds `column >= from` and `column < to` (a parsed range) to a where clause. */
export function addTimeRange(where: WhereClause, range: TimeRange, column = 'ts'): void {
  if (range.from !== undefined) where.add(`${column} >= ?::TIMESTAMP`, nanosToSqlTimestamp(range.from));
  if (range.to !== undefined) where.add(`${column} < ?::TIMESTAMP`, nanosToSqlTimestamp(range.to));
}

/**
 * Refuses a bucketed query over a range that would produce more than `maxBuckets` buckets. Checked when the
 * query compiles, since the range, the interval and the bound are set separately. Open ranges are not checked
 * (the row cap bounds them).
 */
export function checkBucketCount(range: TimeRange, interval: TimeInterval, maxBuckets: number): void {
  if (range.from === undefined || range.to === undefined) return;
  const seconds = Number(range.to - range.from) / 1e9;
  const buckets = Math.ceil(seconds / interval.seconds);
  if (buckets > maxBuckets) {
    throw new ValidationError(
      'interval',
      `the range holds ${buckets} buckets; at most ${maxBuckets} are allowed`,
    );
  }
}
