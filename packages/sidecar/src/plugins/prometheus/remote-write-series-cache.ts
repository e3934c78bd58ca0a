import type { MappedSeries, SeriesContexts } from './remote-write-labels.ts';

/** Most label sets remembered (past it the cache starts over). */
const MAX_SERIES = 100_000;

interface CachedLabels {
  /** A copy of the encoded `Label` fields. */
  bytes: Buffer;
  series: MappedSeries;
}

/**
 * The label sets of earlier remote_write requests by their encoded bytes: senders send the same series again
 * with every batch (Prometheus each scrape), so a series seen before costs a hash and a byte comparison
 * instead of decoding, validating and mapping its labels. One entry per hash; a colliding set is not cached.
 * @example
 * const cache = new RemoteWriteSeriesCache();
 * cache.get(body, start, end, hash) ?? cache.set(body, start, end, hash, labels.map(ranges, count));
 */
export class RemoteWriteSeriesCache {
  /** Series contexts shared by the label sets (one per metric name, job and instance). */
  readonly contexts: SeriesContexts;
  private entries = new Map<number, CachedLabels>();

  constructor(contexts: SeriesContexts) {
    this.contexts = contexts;
  }

  /** The series whose `Label` fields are the bytes `[start, end)` of `body`, when seen before. */
  get(body: Buffer, start: number, end: number, hash: number): MappedSeries | undefined {
    const hit = this.entries.get(hash);
    if (hit === undefined || hit.bytes.length !== end - start) return undefined;
    return hit.bytes.compare(body, start, end) === 0 ? hit.series : undefined;
  }

  /** Remembers the series of the bytes `[start, end)` of `body`; returns it. */
  set(body: Buffer, start: number, end: number, hash: number, series: MappedSeries): MappedSeries {
    if (this.entries.has(hash)) return series;
    if (this.entries.size >= MAX_SERIES) this.entries = new Map();
    this.entries.set(hash, { bytes: Buffer.from(body.subarray(start, end)), series });
    return series;
  }
}
