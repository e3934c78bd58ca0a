import { parseTimeRange, type TimeRange, type TimestampInput } from '../time/index.ts';
import { checkLimit, ImmutableBuilder } from './builder-base.ts';

/** State of a query over a time range with a row limit; the range is held in unix nanoseconds. */
export interface RangedState extends TimeRange {
  limit: number;
}

/**
 * The time-range setter of builders over a range. Both ends are parsed (and checked) here, once; the state
 * keeps nanoseconds. Returns a new builder.
 */
export abstract class TimeRangedBuilder<S extends TimeRange> extends ImmutableBuilder<S> {
  /**
   * Rows at or after `from` and before `to` (either may be undefined: open). Any {@link TimestampInput},
   * including `2024-01-01` and `now-1h`.
   * @throws ValidationError naming `from` or `to` for a value that is not a time, or `from` after `to`.
   */
  between(from: TimestampInput | undefined, to: TimestampInput | undefined): this {
    const range = parseTimeRange(from, to);
    return this.with({ from: range.from, to: range.to } as Partial<S>);
  }
}

/** The time-range and row-limit setters every row-returning builder shares. Each returns a new builder. */
export abstract class RangedBuilder<S extends RangedState> extends TimeRangedBuilder<S> {
  /** At most `limit` rows. */
  limit(limit: number): this {
    return this.with({ limit: checkLimit(limit) } as Partial<S>);
  }
}
