import { MetricBatch, MetricKind, type ScalarPoint, type SeriesContext } from '@duckside/core/ingest';
import { ATTRIBUTE_TEXTS, METRIC_SERIES, SYMBOLS } from './trading-catalog.ts';
import { DATA_START, type MetricRows } from './trading-data.ts';

/** One series context per metric, shared by every batch (as the OTLP decoder shares them per request). */
const SERIES: readonly SeriesContext[] = METRIC_SERIES.map((m) => ({
  name: m.name,
  description: m.description,
  unit: m.unit,
  service: m.service,
  resource: m.resource,
  scope: m.scope,
}));

/**
 * Fills a core `MetricBatch` with synthetic rows, the way the OTLP decoder does: one scratch point object,
 * shared series contexts and attribute strings. Counters are cumulative monotonic sums starting at the data
 * set's start; gauges have no start time.
 * @example await db.writeMetricBatch(toMetricBatch(rows));
 */
export function toMetricBatch(rows: MetricRows): MetricBatch {
  const batch = new MetricBatch();
  const point: ScalarPoint = {
    timeMicros: 0,
    timeNanos: 0,
    startMicros: null,
    startNanos: 0,
    attributes: '',
    symbol: null,
    exemplars: null,
    flags: 0,
    kind: MetricKind.Gauge,
    temporality: 0,
    isMonotonic: null,
    value: 0,
    valueInt: null,
  };
  const startMicros = DATA_START * 1000;
  for (let i = 0; i < rows.length; i++) {
    const metric = rows.metric[i]!;
    const m = METRIC_SERIES[metric]!;
    const counter = m.counter;
    point.timeMicros = rows.timeMicros[i]!;
    point.timeNanos = rows.timeNanos[i]!;
    point.startMicros = counter ? startMicros : null;
    point.attributes = ATTRIBUTE_TEXTS[rows.attributes[i]!]!;
    point.symbol = SYMBOLS[rows.symbol[i]!]!.symbol;
    point.kind = m.kind;
    point.temporality = m.temporality as ScalarPoint['temporality'];
    point.isMonotonic = counter ? true : null;
    point.value = rows.value[i]!;
    batch.pushScalar(SERIES[metric]!, point);
  }
  return batch;
}
