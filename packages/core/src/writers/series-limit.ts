import type { DuckDBConnection } from '@duckdb/node-api';
import { encodeAttributes } from '../attributes/attributes.ts';
import { METRIC_SERIES } from '../catalog/metric-tables.ts';
import type { MetricBatch } from './metric-batch.ts';
import { type SeriesEntry, type SeriesIdCache, sharedSeriesIds } from './series-identity.ts';

/** Default most series per metric name (`DatabaseOptions.maxSeriesPerMetric`). */
export const DEFAULT_MAX_SERIES_PER_METRIC = 10_000;

/** Attributes of a metric's overflow series: the OpenTelemetry SDKs' cardinality-limit convention. */
export const OVERFLOW_ATTRIBUTES = encodeAttributes({ 'otel.metric.overflow': true });

/** Whether a series is an overflow series (no symbol, exactly {@link OVERFLOW_ATTRIBUTES}). */
export function isOverflowSeries(entry: Pick<SeriesEntry, 'symbol' | 'attributes'>): boolean {
  return entry.symbol === null && entry.attributes === OVERFLOW_ATTRIBUTES;
}

/** Figures of the series limit for monitoring. */
export interface SeriesLimitStats {
  /** Most series per metric name (0 when there is no limit). */
  limit: number;
  /** Metric names whose series count reached the limit. */
  limitedMetrics: number;
  /** Points written to an overflow series instead of a new series of their own, since open. */
  overflowPoints: number;
  /** {@link overflowPoints} by metric name (only names that overflowed). */
  overflowPointsByMetric: Readonly<Record<string, number>>;
}

/**
 * The per-metric series limit of one database: the series ids of each metric name admitted so far (stored,
 * being stored, or admitted by a write that failed and may be retried), loaded from `metric_series` with one
 * query and kept in memory, so a write checks its batch's series without any query. A series new to a metric
 * that already has `limit` series is folded into the metric's overflow series: same name, unit, description,
 * service, resource and scope, no symbol, attributes `{"otel.metric.overflow":true}`. Overflow series are not
 * counted. Memory: about 50 bytes per admitted series, at most `limit` per metric name.
 * @example const limit = await SeriesLimit.load(connection, 10_000); limit.apply(batch);
 */
export class SeriesLimit {
  private readonly admitted = new Map<string, Set<bigint>>();
  private readonly overflowByName = new Map<string, number>();
  private overflowPoints = 0;

  /** @param limit most series per metric name (a positive integer) */
  constructor(
    readonly limit: number,
    private readonly ids: SeriesIdCache = sharedSeriesIds,
  ) {}

  /** A limit holding the series already stored (one streamed query over `metric_series`). */
  static async load(connection: DuckDBConnection, limit: number): Promise<SeriesLimit> {
    const seriesLimit = new SeriesLimit(limit);
    const result = await connection.stream(
      `SELECT name, series_id FROM ${METRIC_SERIES.name} WHERE NOT (symbol IS NULL AND attributes = $1)`,
      [OVERFLOW_ATTRIBUTES],
    );
    for (
      let chunk = await result.fetchChunk();
      chunk && chunk.rowCount > 0;
      chunk = await result.fetchChunk()
    ) {
      const names = chunk.getColumnValues(0) as string[];
      const ids = chunk.getColumnValues(1) as bigint[];
      for (let i = 0; i < names.length; i++) seriesLimit.admittedOf(names[i] as string).add(ids[i] as bigint);
    }
    return seriesLimit;
  }

  /**
   * Admits the batch's series while their metric has room and folds the points of the others into their
   * metric's overflow series (see {@link MetricBatch.redirect}). Returns how many points were folded.
   */
  apply(batch: MetricBatch): number {
    const targets = new Map<SeriesEntry, SeriesEntry>();
    for (const entry of batch.series) {
      if (isOverflowSeries(entry)) continue;
      const admitted = this.admittedOf(entry.identity.name);
      if (admitted.has(entry.id)) continue;
      if (admitted.size < this.limit) admitted.add(entry.id);
      else targets.set(entry, this.overflowOf(entry));
    }
    if (targets.size === 0) return 0;
    let folded = 0;
    for (const [overflow, points] of batch.redirect(targets)) {
      const name = overflow.identity.name;
      this.overflowByName.set(name, (this.overflowByName.get(name) ?? 0) + points);
      folded += points;
    }
    this.overflowPoints += folded;
    return folded;
  }

  /** Current figures. */
  stats(): SeriesLimitStats {
    let limitedMetrics = 0;
    for (const admitted of this.admitted.values()) if (admitted.size >= this.limit) limitedMetrics++;
    return {
      limit: this.limit,
      limitedMetrics,
      overflowPoints: this.overflowPoints,
      overflowPointsByMetric: Object.fromEntries(this.overflowByName),
    };
  }

  private admittedOf(name: string): Set<bigint> {
    let admitted = this.admitted.get(name);
    if (!admitted) {
      admitted = new Set();
      this.admitted.set(name, admitted);
    }
    return admitted;
  }

  private overflowOf(entry: SeriesEntry): SeriesEntry {
    return this.ids.entry(this.ids.scope(entry.identity), null, OVERFLOW_ATTRIBUTES);
  }
}

/** The figures of a database without a series limit. */
export const NO_SERIES_LIMIT_STATS: SeriesLimitStats = Object.freeze({
  limit: 0,
  limitedMetrics: 0,
  overflowPoints: 0,
  overflowPointsByMetric: Object.freeze({}),
});
