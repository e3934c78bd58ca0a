import { BucketedMetricBuilder, type BucketedMetricState } from './bucketed-metric-builder.ts';
import { checkQuantiles } from './quantile-list.ts';

/** State of a time-bucketed quantile query: the quantiles asked for (what that means is the builder's). */
export interface QuantileState extends BucketedMetricState {
  quantiles?: number[];
}

/**
 * The time-bucketed builders that answer quantiles (explicit and exponential histograms, summaries): the shared
 * setters plus `quantiles`. Each returns a new builder.
 */
export abstract class QuantileBuilder<S extends QuantileState> extends BucketedMetricBuilder<S> {
  /** The quantiles, each in [0, 1]. */
  quantiles(quantiles: number[]): this {
    return this.with({ quantiles: checkQuantiles(quantiles) } as Partial<S>);
  }
}
