import { checkText, labelPointer } from './builder-base.ts';
import type { MetricFilter } from './metric-filter.ts';
import { RangedBuilder, type RangedState } from './ranged-builder.ts';

/** Most characters of a label value filter. */
const MAX_LABEL_VALUE = 4096;

/**
 * The series filters every metric builder shares (symbol, service, labels), checked when set. Each returns a
 * new builder.
 */
export abstract class MetricFilterBuilder<S extends MetricFilter & RangedState> extends RangedBuilder<S> {
  /** Only points of this symbol. */
  symbol(symbol: string): this {
    return this.with({ symbol: checkText('symbol', symbol) } as Partial<S>);
  }
  /** Only points of this service (`service.name`). */
  service(service: string): this {
    return this.with({ service: checkText('service', service) } as Partial<S>);
  }
  /** Only points whose attribute `key` equals `value` (as text). */
  label(key: string, value: string): this {
    labelPointer(key);
    checkText(`label.${key}`, value, MAX_LABEL_VALUE);
    return this.with({ labels: { ...this.state.labels, [key]: value } } as Partial<S>);
  }
}
