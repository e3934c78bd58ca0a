import {
  EXP_HISTOGRAM_KIND,
  HISTOGRAM_KIND,
  METRIC_SERIES,
  type MetricKindTable,
  SCALAR_KIND,
  SUMMARY_KIND,
} from '../catalog/metric-tables.ts';
import { type ColumnarTable, type ColumnSpec, emptyColumns } from './columnar-table.ts';
import {
  type KnownSeries,
  type SeriesEntry,
  type SeriesIdentity,
  type SeriesIdScope,
  sameIdentity,
  sharedSeriesIds,
} from './series-identity.ts';

/** `kind` column codes of `trading_metrics` (OTLP data point kinds). */
export const MetricKind = { Gauge: 1, Sum: 2 } as const;
/** A value of {@link MetricKind}. */
export type MetricKindCode = (typeof MetricKind)[keyof typeof MetricKind];

/** `temporality` column codes, equal to OTLP's `AggregationTemporality` enum. */
export const Temporality = { Unspecified: 0, Delta: 1, Cumulative: 2 } as const;
/** A value of {@link Temporality}. */
export type TemporalityCode = (typeof Temporality)[keyof typeof Temporality];

/**
 * What every point of one metric shares: the metric's identity and where it came from.
 * `resource` and `scope` are JSON text (see `encodeResource` / `encodeScope`), encoded once per batch and
 * shared by reference between points. One object may be reused (mutated) from metric to metric; pushing the
 * points of one metric one after the other is cheapest (series ids are looked up per run).
 */
export type SeriesContext = SeriesIdentity;

/**
 * Fields shared by every point: times are unix microseconds plus the 0..999 nanosecond remainder
 * (exact, no BigInt). `startMicros` null means unset (OTLP 0).
 */
export interface PointBase {
  timeMicros: number;
  timeNanos: number;
  startMicros: number | null;
  startNanos: number;
  /** Point attributes as JSON text (`encodeAttributes`). */
  attributes: string;
  /** The point attribute `symbol`, promoted. */
  symbol: string | null;
  /** Exemplars as JSON text (`encodeExemplars`) or null. */
  exemplars: string | null;
  flags: number;
}

/** A gauge or sum point. `valueInt` is set (and `value` is its double) when the point was an int. */
export interface ScalarPoint extends PointBase {
  kind: MetricKindCode;
  temporality: TemporalityCode;
  isMonotonic: boolean | null;
  value: number;
  valueInt: bigint | null;
}

/** An explicit-bucket histogram point. Counts are safe integers. */
export interface HistogramPoint extends PointBase {
  temporality: TemporalityCode;
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  bucketCounts: number[];
  explicitBounds: number[];
}

/** An exponential histogram point. */
export interface ExpHistogramPoint extends PointBase {
  temporality: TemporalityCode;
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positiveOffset: number;
  positiveBucketCounts: number[];
  negativeOffset: number;
  negativeBucketCounts: number[];
}

/** A summary point; quantiles as two parallel arrays. */
export interface SummaryPoint extends PointBase {
  count: number;
  sum: number;
  quantiles: number[];
  quantileValues: number[];
}

/** Column layout of `metric_series`: one row per series, the identity its points refer to by `series_id`. */
export const SERIES_COLUMNS: readonly ColumnSpec[] = METRIC_SERIES.columns;

/** Column layout of `metric_points` (gauges and sums; read through the `trading_metrics` view). */
export const METRIC_COLUMNS: readonly ColumnSpec[] = SCALAR_KIND.points.columns;

/** Column layout of `histogram_points` (read through `otel_histograms`). */
export const HISTOGRAM_COLUMNS: readonly ColumnSpec[] = HISTOGRAM_KIND.points.columns;

/** Column layout of `exp_histogram_points` (read through `otel_exp_histograms`). */
export const EXP_HISTOGRAM_COLUMNS: readonly ColumnSpec[] = EXP_HISTOGRAM_KIND.points.columns;

/** Column layout of `summary_points` (read through `otel_summaries`). */
export const SUMMARY_COLUMNS: readonly ColumnSpec[] = SUMMARY_KIND.points.columns;

/** A growable set of columns for one table; the arrays are allocated on first use (most batches fill one table). */
class ColumnSet {
  private arrays: unknown[][] | undefined;
  length = 0;
  readonly table: string;
  readonly spec: readonly ColumnSpec[];
  constructor(kind: MetricKindTable) {
    this.table = kind.points.name;
    this.spec = kind.points.columns;
  }

  get columns(): unknown[][] {
    this.arrays ??= emptyColumns(this.spec);
    return this.arrays;
  }

  /** Pushes the columns every point has; returns the index of the first point-specific array. */
  pushBase(seriesId: bigint, p: PointBase): number {
    const c = this.columns;
    c[0]!.push(seriesId);
    c[1]!.push(p.timeMicros);
    c[2]!.push(p.timeMicros);
    c[3]!.push(p.timeNanos);
    c[4]!.push(p.startMicros);
    c[5]!.push(p.startNanos);
    c[6]!.push(p.exemplars);
    c[7]!.push(p.flags);
    this.length++;
    return 8;
  }

  toTable(): ColumnarTable {
    return { table: this.table, spec: this.spec, columns: this.columns, length: this.length };
  }

  /** Replaces series ids found in `to` (point by point); counts the points moved per target id in `moved`. */
  redirect(to: ReadonlyMap<bigint, bigint>, moved: Map<bigint, number>): void {
    if (this.length === 0) return;
    const ids = this.columns[0] as bigint[];
    for (let i = 0; i < ids.length; i++) {
      const target = to.get(ids[i] as bigint);
      if (target === undefined) continue;
      ids[i] = target;
      moved.set(target, (moved.get(target) ?? 0) + 1);
    }
  }
}

let lastBatchMark = 0;

/** The series of one batch: each series once, in order of first appearance. */
class SeriesSet {
  readonly entries: SeriesEntry[] = [];
  private readonly mark = ++lastBatchMark;
  /** Copy of the context the scope was looked up for (callers may reuse and mutate one context object). */
  private last: SeriesContext | undefined;
  private scope: SeriesIdScope | undefined;
  /** The series of the previous point. */
  private lastEntry: SeriesEntry | undefined;

  /** The id of a point's series, recording the series when the batch has not seen it yet. */
  idOf(context: SeriesContext, p: PointBase): bigint {
    if (!this.last || !sameIdentity(this.last, context)) {
      this.scope = sharedSeriesIds.scope(context);
      // A copy of what the caller passed: its strings are the ones the next points share (pointer-equal).
      this.last = { ...context };
      this.lastEntry = undefined;
    } else if (
      this.lastEntry !== undefined &&
      this.lastEntry.symbol === p.symbol &&
      this.lastEntry.attributes === p.attributes
    ) {
      // The same series as the previous point (a run of points of one series): already listed.
      return this.lastEntry.id;
    }
    const entry = sharedSeriesIds.entry(this.scope as SeriesIdScope, p.symbol, p.attributes);
    this.lastEntry = entry;
    if (entry.batchMark !== this.mark) {
      // Another batch filled at the same time may take the mark back; the series is then listed twice here,
      // which the insert-if-new tolerates.
      entry.batchMark = this.mark;
      this.entries.push(entry);
    }
    return entry.id;
  }

  /** Replaces listed series by their targets (each target listed once). */
  replace(targets: ReadonlyMap<SeriesEntry, SeriesEntry>): void {
    const listed = new Set(this.entries.map((e) => targets.get(e) ?? e));
    this.entries.splice(0, this.entries.length, ...listed);
  }

  /** The `metric_series` rows of series not in `known`. */
  toTable(known: KnownSeries | undefined): ColumnarTable {
    const columns = emptyColumns(SERIES_COLUMNS);
    const [id, name, unit, description, symbol, service, attributes, resource, scope] =
      columns as unknown[][];
    let length = 0;
    for (const e of this.entries) {
      if (known?.has(e)) continue;
      const c = e.identity;
      id!.push(e.id);
      name!.push(c.name);
      unit!.push(c.unit);
      description!.push(c.description);
      symbol!.push(e.symbol);
      service!.push(c.service);
      attributes!.push(e.attributes);
      resource!.push(c.resource);
      scope!.push(c.scope);
      length++;
    }
    return { table: METRIC_SERIES.name, spec: SERIES_COLUMNS, columns, length };
  }
}

/**
 * Columnar metric points for all OTLP kinds, filled by the OTLP decoder and the exporter and written by core
 * in one call (`db.writeMetricBatch(batch)`): the series not yet stored through a staged insert-if-new into
 * `metric_series`, the points appended to their narrow tables. Do not push into a batch while it is written.
 * `push*` copies the fields, so callers may reuse one scratch object per kind.
 * @example
 * const batch = new MetricBatch();
 * batch.pushScalar(series, { ...point, kind: MetricKind.Gauge, value: 1, valueInt: null });
 * await db.writeMetricBatch(batch);
 */
export class MetricBatch {
  private readonly seriesSet = new SeriesSet();
  private readonly scalars = new ColumnSet(SCALAR_KIND);
  private readonly histograms = new ColumnSet(HISTOGRAM_KIND);
  private readonly expHistograms = new ColumnSet(EXP_HISTOGRAM_KIND);
  private readonly summaries = new ColumnSet(SUMMARY_KIND);
  private readonly columnSets = [this.scalars, this.histograms, this.expHistograms, this.summaries];

  /** Adds a gauge or sum point. */
  pushScalar(series: SeriesContext, p: ScalarPoint): void {
    const c = this.scalars.columns;
    const i = this.scalars.pushBase(this.seriesSet.idOf(series, p), p);
    c[i]!.push(p.kind);
    c[i + 1]!.push(p.temporality);
    c[i + 2]!.push(p.isMonotonic);
    c[i + 3]!.push(p.value);
    c[i + 4]!.push(p.valueInt);
  }

  /** Adds an explicit-bucket histogram point. */
  pushHistogram(series: SeriesContext, p: HistogramPoint): void {
    const c = this.histograms.columns;
    const i = this.histograms.pushBase(this.seriesSet.idOf(series, p), p);
    pushDistribution(c, i, p);
    c[i + 5]!.push(p.bucketCounts);
    c[i + 6]!.push(p.explicitBounds);
  }

  /** Adds an exponential histogram point. */
  pushExpHistogram(series: SeriesContext, p: ExpHistogramPoint): void {
    const c = this.expHistograms.columns;
    const i = this.expHistograms.pushBase(this.seriesSet.idOf(series, p), p);
    pushDistribution(c, i, p);
    c[i + 5]!.push(p.scale);
    c[i + 6]!.push(p.zeroCount);
    c[i + 7]!.push(p.zeroThreshold);
    c[i + 8]!.push(p.positiveOffset);
    c[i + 9]!.push(p.positiveBucketCounts);
    c[i + 10]!.push(p.negativeOffset);
    c[i + 11]!.push(p.negativeBucketCounts);
  }

  /** Adds a summary point. */
  pushSummary(series: SeriesContext, p: SummaryPoint): void {
    const c = this.summaries.columns;
    const i = this.summaries.pushBase(this.seriesSet.idOf(series, p), p);
    c[i]!.push(p.count);
    c[i + 1]!.push(p.sum);
    c[i + 2]!.push(p.quantiles);
    c[i + 3]!.push(p.quantileValues);
  }

  /** Total number of points of every kind. */
  get size(): number {
    return this.scalars.length + this.histograms.length + this.expHistograms.length + this.summaries.length;
  }

  /** Point counts per kind. */
  get counts(): { scalars: number; histograms: number; expHistograms: number; summaries: number } {
    return {
      scalars: this.scalars.length,
      histograms: this.histograms.length,
      expHistograms: this.expHistograms.length,
      summaries: this.summaries.length,
    };
  }

  /** The series the points belong to, each once (unless another batch was filled at the same time). */
  get series(): readonly SeriesEntry[] {
    return this.seriesSet.entries;
  }

  /**
   * Moves the points of some series to other series (a metric's overflow series, see `SeriesLimit`): the
   * sources are no longer listed, the targets are. Returns the points moved per target. Not while it is written.
   * @example batch.redirect(new Map([[entry, overflowEntry]])).get(overflowEntry) // points moved
   */
  redirect(targets: ReadonlyMap<SeriesEntry, SeriesEntry>): Map<SeriesEntry, number> {
    const ids = new Map([...targets].map(([from, to]) => [from.id, to.id]));
    const moved = new Map<bigint, number>();
    for (const set of this.columnSets) set.redirect(ids, moved);
    this.seriesSet.replace(targets);
    const byTarget = new Map<SeriesEntry, number>();
    for (const to of new Set(targets.values())) byTarget.set(to, moved.get(to.id) ?? 0);
    return byTarget;
  }

  /**
   * The non-empty tables, ready for the writer: the rows of series not in `known` (`metric_series`, inserted
   * unless present) and the points.
   */
  toTables(known?: KnownSeries): ColumnarTable[] {
    return [this.seriesSet.toTable(known), ...this.columnSets.map((s) => s.toTable())].filter(
      (t) => t.length > 0,
    );
  }
}

function pushDistribution(
  c: unknown[][],
  i: number,
  p: { temporality: number; count: number; sum: number | null; min: number | null; max: number | null },
): void {
  c[i]!.push(p.temporality);
  c[i + 1]!.push(p.count);
  c[i + 2]!.push(p.sum);
  c[i + 3]!.push(p.min);
  c[i + 4]!.push(p.max);
}
