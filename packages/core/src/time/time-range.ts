import { ValidationError } from '../errors/errors.ts';
import { parseTimestamp, type TimestampInput } from './timestamp.ts';

/** A parsed time range in unix nanoseconds; either end may be open. `from` is inclusive, `to` exclusive. */
export interface TimeRange {
  readonly from?: bigint;
  readonly to?: bigint;
}

/**
 * Parses both ends of a range once (fields `from` and `to`) and checks that `from` is not after `to`.
 * @throws ValidationError naming the end at fault.
 * @example parseTimeRange('now-1h', 'now') // { from: ..., to: ... }
 */
export function parseTimeRange(from: TimestampInput | undefined, to: TimestampInput | undefined): TimeRange {
  const range: { from?: bigint; to?: bigint } = {};
  if (from !== undefined) range.from = parseTimestamp(from, 'from');
  if (to !== undefined) range.to = parseTimestamp(to, 'to');
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new ValidationError('from', 'must not be after to');
  }
  return range;
}
