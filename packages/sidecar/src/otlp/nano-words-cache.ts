import { type SplitNanos, splitNanoWords } from '@duckside/core/ingest';

/**
 * `splitNanoWords` remembering its last input: the points of one export usually share their timestamps, so
 * the split is made once per distinct time rather than once per point.
 * @example
 * const times = new NanoWordsCache();
 * times.split(0x5c8ea080, 0x156f4e3d).micros;
 */
export class NanoWordsCache {
  private lo = -1;
  private hi = -1;
  private readonly out: SplitNanos = { micros: 0, nanos: 0 };

  /** Micros and nanosecond remainder of the unix-nanosecond value `hi * 2^32 + lo` (shared result object). */
  split(lo: number, hi: number): SplitNanos {
    if (lo !== this.lo || hi !== this.hi) {
      splitNanoWords(lo, hi, this.out);
      this.lo = lo;
      this.hi = hi;
    }
    return this.out;
  }
}
