import type { TimestampInput } from '../time.ts';
import { checkLimit, ImmutableBuilder } from './builder-base.ts';

/** State of a query over a time range with a row limit. */
export interface RangedState {
  from?: TimestampInput;
  to?: TimestampInput;
  limit: number;
}

/** The time-range and row-limit setters every row-returning builder shares. Each returns a new builder. */
export abstract class RangedBuilder<S extends RangedState> extends ImmutableBuilder<S> {
  /** Rows at or after `from` and before `to` (either may be undefined: open). */
  between(from: TimestampInput | undefined, to: TimestampInput | undefined): this {
    return this.with({ from, to } as Partial<S>);
  }
  /** At most `limit` rows. */
  limit(limit: number): this {
    return this.with({ limit: checkLimit(limit) } as Partial<S>);
  }
}
