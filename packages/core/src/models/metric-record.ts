import { z } from 'zod';
import type { Attributes } from '../attributes/attributes.ts';
import { nowNanos, type TimestampInput } from '../time/index.ts';
import { finiteNumber, nameText, parseWith, timestampSchema } from './validation.ts';

/** A label value of an application metric. */
export type LabelValue = string | number | boolean;

/** zod schema of a metric as JSON (`{name, value, timestamp, symbol, labels}`). */
export const metricInputSchema = z
  .object({
    name: nameText(),
    value: finiteNumber,
    timestamp: timestampSchema.optional(),
    symbol: nameText(64).nullish(),
    labels: z.record(nameText(), z.union([z.string().max(4096), finiteNumber, z.boolean()])).optional(),
  })
  .strict();

/** The input shape of {@link metricInputSchema}. */
export type MetricInput = z.input<typeof metricInputSchema>;

/**
 * An application metric point (stored in `trading_metrics` as a gauge). Immutable; `with*` and `addLabel`
 * return a new record.
 * @example new MetricRecord('order_latency_ms', 42.5).withSymbol('BTC/USD').addLabel('exchange', 'alpaca')
 */
export class MetricRecord {
  readonly name: string;
  readonly value: number;
  /** Unix nanoseconds. */
  readonly timestamp: bigint;
  readonly symbol: string | null;
  readonly labels: Readonly<Record<string, LabelValue>>;

  constructor(name: string, value: number, timestamp?: TimestampInput) {
    const parsed = parseWith(metricInputSchema, { name, value, timestamp });
    this.name = parsed.name;
    this.value = parsed.value;
    this.timestamp = parsed.timestamp ?? nowNanos();
    this.symbol = null;
    this.labels = Object.freeze({});
    Object.freeze(this);
  }

  /**
   * Validates JSON-shaped input; throws `ValidationError` naming the field (and row `index`).
   * @example MetricRecord.from({ name: 'pnl', value: 1.5, symbol: 'ETH/USD' })
   */
  static from(input: unknown, index?: number): MetricRecord {
    const p = parseWith(metricInputSchema, input, index);
    return MetricRecord.build(p.name, p.value, p.timestamp ?? nowNanos(), p.symbol ?? null, p.labels ?? {});
  }

  private static build(
    name: string,
    value: number,
    timestamp: bigint,
    symbol: string | null,
    labels: Record<string, LabelValue>,
  ): MetricRecord {
    const r = Object.create(MetricRecord.prototype) as {
      -readonly [K in keyof MetricRecord]: MetricRecord[K];
    };
    r.name = name;
    r.value = value;
    r.timestamp = timestamp;
    r.symbol = symbol;
    r.labels = Object.freeze({ ...labels });
    return Object.freeze(r) as MetricRecord;
  }

  /** Returns a copy with the symbol set. */
  withSymbol(symbol: string): MetricRecord {
    parseWith(metricInputSchema, { name: this.name, value: this.value, symbol });
    return MetricRecord.build(this.name, this.value, this.timestamp, symbol, this.labels);
  }

  /** Returns a copy with the timestamp set. */
  withTimestamp(timestamp: TimestampInput): MetricRecord {
    const p = parseWith(metricInputSchema, { name: this.name, value: this.value, timestamp });
    return MetricRecord.build(this.name, this.value, p.timestamp as bigint, this.symbol, this.labels);
  }

  /** Returns a copy with one more label. */
  addLabel(key: string, value: LabelValue): MetricRecord {
    const labels = { ...this.labels, [key]: value };
    parseWith(metricInputSchema, { name: this.name, value: this.value, labels });
    return MetricRecord.build(this.name, this.value, this.timestamp, this.symbol, labels);
  }

  /** Labels as typed attributes (integers as ints, other numbers as doubles). */
  attributes(): Attributes {
    const out: Attributes = {};
    for (const [k, v] of Object.entries(this.labels)) {
      out[k] = typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v;
    }
    return out;
  }
}
