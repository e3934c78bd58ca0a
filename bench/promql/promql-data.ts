import { ATTRIBUTE_TEXTS, METRICS, SYMBOLS } from '../core/trading-catalog.ts';
import { DATA_DAYS, DATA_START, type MetricRows, TradingDataGenerator } from '../core/trading-data.ts';

/** Export interval of the latency histograms (one cumulative point per symbol per interval, as an OTel SDK). */
export const HISTOGRAM_EXPORT_MS = 60_000;
/** Explicit bounds of the latency histogram (ms), chosen around the generator's ~4 ms order latencies. */
export const LATENCY_BOUNDS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 25, 50, 100];
/** Index of `order_latency_ms` in the catalog: its values are also the histogram's observations. */
const LATENCY_METRIC = METRICS.findIndex((m) => m.name === 'order_latency_ms');

/**
 * The promql section's data set, column by column: the bench generator's scalar points on whole milliseconds
 * (Prometheus keeps ms; a second point of a series in the same ms is dropped) and, per symbol, a cumulative
 * latency histogram exported every minute from the `order_latency_ms` observations.
 */
export interface PromqlData {
  /** Scalar points in time order: ms, value, and series key `metric * ATTRIBUTE_TEXTS.length + attributes`. */
  scalars: { length: number; ms: Float64Array; value: Float64Array; key: Uint16Array };
  /** Points dropped because their series already had one in the same millisecond. */
  droppedSameMs: number;
  /** Histogram points, `steps` export times x symbols; `counts[(step * symbols + s) * buckets + b]` cumulative. */
  histograms: { steps: number; ms: Float64Array; counts: Float64Array; sums: Float64Array };
}

/**
 * The first index of each attribute text: label groups that ignore some label combinations repeat texts, and
 * equal texts are one series in both stores.
 */
const CANONICAL_ATTRIBUTES = (() => {
  const first = new Map<string, number>();
  return ATTRIBUTE_TEXTS.map((text, i) => {
    if (!first.has(text)) first.set(text, i);
    return first.get(text)!;
  });
})();

/** Number of scalar series keys (`metric * ATTRIBUTE_TEXTS.length + attributes`). */
export const SERIES_KEYS = METRICS.length * ATTRIBUTE_TEXTS.length;

/**
 * Generates the data set deterministically from the bench generator (`rows` scalar points over its 7 days).
 * @example const data = promqlData(1_000_000); data.scalars.length
 */
export function promqlData(rows: number): PromqlData {
  const ms = new Float64Array(rows);
  const value = new Float64Array(rows);
  const key = new Uint16Array(rows);
  const lastMs = new Float64Array(SERIES_KEYS).fill(-1);
  const buckets = LATENCY_BOUNDS.length + 1;
  const steps = Math.floor((DATA_DAYS * 86_400_000) / HISTOGRAM_EXPORT_MS);
  const hist = {
    steps,
    ms: new Float64Array(steps),
    counts: new Float64Array(steps * SYMBOLS.length * buckets),
    sums: new Float64Array(steps * SYMBOLS.length),
  };
  const running = new Float64Array(SYMBOLS.length * buckets);
  const runningSum = new Float64Array(SYMBOLS.length);
  let step = 0;
  const exportUntil = (t: number) => {
    while (step < steps && DATA_START + (step + 1) * HISTOGRAM_EXPORT_MS < t) {
      hist.ms[step] = DATA_START + (step + 1) * HISTOGRAM_EXPORT_MS;
      hist.counts.set(running, step * running.length);
      hist.sums.set(runningSum, step * SYMBOLS.length);
      step++;
    }
  };
  let n = 0;
  let dropped = 0;
  const generator = new TradingDataGenerator(rows);
  for (let batch: MetricRows | undefined = generator.next(100_000); batch; batch = generator.next(100_000)) {
    for (let i = 0; i < batch.length; i++) {
      const t = Math.floor(batch.timeMicros[i]! / 1000);
      const metric: number = batch.metric[i]!;
      const k = metric * ATTRIBUTE_TEXTS.length + CANONICAL_ATTRIBUTES[batch.attributes[i]!]!;
      if (lastMs[k] === t) {
        dropped++;
        continue;
      }
      lastMs[k] = t;
      exportUntil(t);
      ms[n] = t;
      value[n] = batch.value[i]!;
      key[n] = k;
      n++;
      if (metric === LATENCY_METRIC) {
        const s = batch.symbol[i]!;
        const v = batch.value[i]!;
        const b = LATENCY_BOUNDS.findIndex((bound) => v <= bound);
        // cumulative buckets, as Prometheus' `le` series: every bucket from the observation's up to +Inf
        for (let j = b < 0 ? LATENCY_BOUNDS.length : b; j < buckets; j++) running[s * buckets + j]!++;
        runningSum[s] = runningSum[s]! + v;
      }
    }
  }
  exportUntil(Number.POSITIVE_INFINITY);
  return {
    scalars: { length: n, ms: ms.subarray(0, n), value: value.subarray(0, n), key: key.subarray(0, n) },
    droppedSameMs: dropped,
    histograms: hist,
  };
}
