import type { AggregatedMetric } from '../models/result-types.ts';
import { type CompiledQuery, compiled } from '../query/compiled-query.ts';
import { aggregateMetrics, MetricAggregateBuilder } from '../query/metric-aggregate.ts';
import { type BucketWindow, checkWindow, withWindow } from './bucket-window.ts';
import { type GapFill, gapFillSql, parseGapFill, valueFill } from './gap-fill.ts';

/** A bucket of {@link aggregateSeries}: an aggregated bucket, whether it was filled, and the window's value. */
export interface SeriesAggregateRow extends AggregatedMetric {
  /** True for a bucket without points, added by gap filling (`samples` is 0). */
  filled: boolean;
  /** The window over the (filled) values, or null without a window. */
  windowed: number | null;
}

/** What {@link SeriesAggregateBuilder} adds to an aggregate's state. */
interface SeriesExtras {
  fill?: GapFill;
  window?: BucketWindow;
}

/**
 * A metric aggregate (every setter of `aggregateMetrics`) with gap filling and a window over its buckets.
 * Gap filling needs both ends of the range; each group seen in the range gets every bucket (ungrouped: every
 * bucket even without any point).
 * @example aggregateSeries('pnl').interval('1h').fn('last').between(from, to).fill('prev').window({ kind: 'drawdown' })
 */
export class SeriesAggregateBuilder extends MetricAggregateBuilder {
  /**
   * The same aggregate, gap-fillable and windowable.
   * @example SeriesAggregateBuilder.of(aggregateMetrics('pnl').fn('last')).fill('prev')
   */
  static of(aggregate: MetricAggregateBuilder): SeriesAggregateBuilder {
    // Only the state is read; the subclass adds no state of its own until fill/window are called.
    return new SeriesAggregateBuilder((aggregate as SeriesAggregateBuilder).state);
  }

  /** How empty buckets are filled (default `none`). */
  fill(fill: GapFill | string): this {
    return this.with({ fill: parseGapFill(fill) } as SeriesExtras as never);
  }
  /** A window over the buckets of each group: moving average, cumulative sum or drawdown. */
  window(window: BucketWindow): this {
    return this.with({ window: checkWindow(window) } as SeriesExtras as never);
  }

  /** Compiles to frozen SQL and parameters. */
  override compile(): CompiledQuery<SeriesAggregateRow> {
    const extras = this.state as SeriesExtras;
    const mode = extras.fill ?? 'none';
    const filled = gapFillSql({
      source: super.compile() as { sql: string; params: never[] },
      bucket: 'bucket',
      groups: ['group'],
      ...(this.state.grouping.by === 'none'
        ? { knownGroups: { sql: 'SELECT NULL::VARCHAR AS "group"', params: [] } }
        : {}),
      columns: [
        ['value', valueFill(mode)],
        ['samples', { kind: 'zero' }],
      ],
      interval: this.state.interval,
      ...(this.state.from === undefined ? {} : { from: this.state.from }),
      ...(this.state.to === undefined ? {} : { to: this.state.to }),
      mode,
      limit: this.state.limit,
    });
    const out = withWindow(filled, extras.window, { value: 'value', bucket: 'bucket', groups: ['group'] });
    return compiled(out.sql, out.params);
  }
}

/**
 * Starts a gap-fillable, windowable aggregate of metric `name` (1-minute avg, ungrouped, no filling).
 * @example db.execute(aggregateSeries('spread_bps').interval('1m').between(from, to).fill('linear'))
 */
export function aggregateSeries(name: string): SeriesAggregateBuilder {
  return SeriesAggregateBuilder.of(aggregateMetrics(name));
}
