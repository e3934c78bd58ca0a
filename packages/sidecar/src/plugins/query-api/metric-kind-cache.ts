import { type MetricViewKind, metricKindsOf } from '@duckside/core';
import type { PluginQueries } from '../../plugin-api/plugin.ts';

/**
 * The kinds each metric name has points under, looked up once per name for `ttlMs` (default 5 s) and shared by
 * concurrent requests for the same name: each kind is a scan of its own, so `/api/v1/metrics` and
 * `/api/v1/histograms` read only the kinds a name has, and a burst of requests for one name costs one lookup.
 * A name gaining a new kind is seen within `ttlMs`; a name without points is not remembered.
 * @example const kinds = await new MetricKindCache(ctx.queries).kindsOf('order_latency_ms'); // ['scalar']
 */
export class MetricKindCache {
  private readonly entries = new Map<string, { at: number; kinds: Promise<MetricViewKind[]> }>();

  constructor(
    private readonly queries: PluginQueries,
    private readonly ttlMs = 5_000,
    private readonly maxNames = 10_000,
  ) {}

  /** The kinds of `name`, in schema order (empty when it has no points). */
  kindsOf(name: string): Promise<MetricViewKind[]> {
    const now = Date.now();
    const hit = this.entries.get(name);
    if (hit && now - hit.at < this.ttlMs) return hit.kinds;
    const kinds = this.queries
      .run('metrics.kind', metricKindsOf(name))
      .then((r) => r.rows.map((x) => x.kind));
    if (this.entries.size >= this.maxNames) this.entries.clear();
    const entry = { at: now, kinds };
    this.entries.set(name, entry);
    const forget = () => {
      if (this.entries.get(name) === entry) this.entries.delete(name);
    };
    kinds.then((k) => k.length === 0 && forget(), forget);
    return kinds;
  }
}
