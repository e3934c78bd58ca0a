import { ValidationError } from '../errors.ts';
import { parseTimestamp, type TimestampInput } from '../time.ts';
import type { TimeInterval } from '../time-interval.ts';
import { sqlTimestamp, type WhereClause } from './builder-base.ts';

/** An optional time range; either end may be open. */
export interface TimeRange {
  from?: TimestampInput;
  to?: TimestampInput;
}

/** Adds `column >= from` and `column < to` to a where clause. */
export function addTimeRange(where: WhereClause, range: TimeRange, column = 'ts'): void {
  if (range.from !== undefined) where.add(`${column} >= ?::TIMESTAMP`, sqlTimestamp(range.from, 'from'));
  if (range.to !== undefined) where.add(`${column} < ?::TIMESTAMP`, sqlTimestamp(range.to, 'to'));
  if (range.from !== undefined && range.to !== undefined) {
    if (parseTimestamp(range.from) > parseTimestamp(range.to))
      throw new ValidationError('from', 'must not be after to');
  }
}

/**
 * Refuses a bucketed query over a range that would produce more than `maxBuckets` buckets.
 * Open ranges are not checked (the row cap bounds them).
 */
export function checkBucketCount(range: TimeRange, interval: TimeInterval, maxBuckets: number): void {
  if (range.from === undefined || range.to === undefined) return;
  const seconds = Number(parseTimestamp(range.to) - parseTimestamp(range.from)) / 1e9;
  const buckets = Math.ceil(seconds / interval.seconds);
  if (buckets > maxBuckets) {
    throw new ValidationError(
      'interval',
      `the range holds ${buckets} buckets; at most ${maxBuckets} are allowed`,
    );
  }
}
