import type { MappedSeries, SeriesContexts } from './remote-write-labels.ts';

/** Most label sets remembered (past it the cache starts over). */
const MAX_SERIES = 100_000;

interface CachedLabels {
  /** A copy of the encoded `Label` fields. */
  bytes: Uint8Array;
  view: DataView;
  series: MappedSeries;
}

/**
 * The label sets of earlier remote_write requests by their encoded bytes: senders send the same series again
 * with every batch (Prometheus each scrape), so a series seen before costs a hash and a byte comparison
 * instead of decoding, validating and mapping its labels. One entry per hash; a colliding set is not cached.
 * @example
 * const cache = new RemoteWriteSeriesCache();
 * cache.get(view, start, end, hash) ?? cache.set(bytes, start, end, hash, labels.map(ranges, count));
 */
export class RemoteWriteSeriesCache {
  /** Series contexts shared by the label sets (one per metric name, job and instance). */
  readonly contexts: SeriesContexts;
  private entries = new Map<number, CachedLabels>();

  constructor(contexts: SeriesContexts) {
    this.contexts = contexts;
  }

  /** The series whose `Label` fields are the bytes `[start, end)` of `body` (read through `view`), when seen before. */
  get(view: DataView, start: number, end: number, hash: number): MappedSeries | undefined {
    const hit = this.entries.get(hash);
    if (hit === undefined) return undefined;
    const n = end - start;
    if (hit.bytes.length !== n) return undefined;
    const cached = hit.view;
    let i = 0;
    for (; i + 4 <= n; i += 4) if (cached.getInt32(i) !== view.getInt32(start + i)) return undefined;
    for (; i < n; i++) if (cached.getUint8(i) !== view.getUint8(start + i)) return undefined;
    return hit.series;
  }

  /** Remembers the series of the bytes `[start, end)` of `body`; returns it. */
  set(body: Uint8Array, start: number, end: number, hash: number, series: MappedSeries): MappedSeries {
    if (this.entries.has(hash)) return series;
    if (this.entries.size >= MAX_SERIES) this.entries = new Map();
    const bytes = body.slice(start, end);
    this.entries.set(hash, { bytes, view: new DataView(bytes.buffer), series });
    return series;
  }
}
