import {
  AggregationTemporality,
  type AggregationTemporalitySelector,
  InstrumentType,
} from '@opentelemetry/sdk-metrics';
import { OptionsError } from './errors.ts';

/**
 * Which aggregation temporality the exporter asks the SDK for, with the same meaning as the OTLP exporters'
 * `temporalityPreference` (and `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`):
 * - `cumulative`: every instrument cumulative;
 * - `delta`: counters, histograms and gauges delta, up-down counters cumulative;
 * - `lowmemory`: synchronous counters and histograms delta, everything else cumulative.
 */
export type TemporalityPreference = 'cumulative' | 'delta' | 'lowmemory';

const { CUMULATIVE, DELTA } = AggregationTemporality;

/**
 * The SDK temporality selector for a preference.
 * @example temporalitySelector('delta')(InstrumentType.COUNTER) // AggregationTemporality.DELTA
 */
export function temporalitySelector(
  preference: TemporalityPreference = 'cumulative',
): AggregationTemporalitySelector {
  switch (preference) {
    case 'cumulative':
      return () => CUMULATIVE;
    case 'delta':
      return (type) =>
        type === InstrumentType.UP_DOWN_COUNTER || type === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
          ? CUMULATIVE
          : DELTA;
    case 'lowmemory':
      return (type) =>
        type === InstrumentType.COUNTER || type === InstrumentType.HISTOGRAM ? DELTA : CUMULATIVE;
    default:
      throw new OptionsError(`unknown temporality preference ${String(preference)}`);
  }
}
