import { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { OptionsError } from './errors.ts';
import { type TemporalityPreference, temporalitySelector } from './temporality-preference.ts';

const { CUMULATIVE: C, DELTA: D } = AggregationTemporality;

// The OTLP exporters' selectors (OTLPMetricExporterBase), instrument by instrument.
const expected: Record<TemporalityPreference, Record<InstrumentType, AggregationTemporality>> = {
  cumulative: {
    COUNTER: C,
    OBSERVABLE_COUNTER: C,
    GAUGE: C,
    OBSERVABLE_GAUGE: C,
    HISTOGRAM: C,
    UP_DOWN_COUNTER: C,
    OBSERVABLE_UP_DOWN_COUNTER: C,
  } as Record<InstrumentType, AggregationTemporality>,
  delta: {
    COUNTER: D,
    OBSERVABLE_COUNTER: D,
    GAUGE: D,
    OBSERVABLE_GAUGE: D,
    HISTOGRAM: D,
    UP_DOWN_COUNTER: C,
    OBSERVABLE_UP_DOWN_COUNTER: C,
  } as Record<InstrumentType, AggregationTemporality>,
  lowmemory: {
    COUNTER: D,
    OBSERVABLE_COUNTER: C,
    GAUGE: C,
    OBSERVABLE_GAUGE: C,
    HISTOGRAM: D,
    UP_DOWN_COUNTER: C,
    OBSERVABLE_UP_DOWN_COUNTER: C,
  } as Record<InstrumentType, AggregationTemporality>,
};

describe('temporalitySelector', () => {
  for (const preference of ['cumulative', 'delta', 'lowmemory'] as const) {
    it(`selects like the OTLP exporters for '${preference}'`, () => {
      const select = temporalitySelector(preference);
      for (const type of Object.values(InstrumentType)) {
        expect([type, select(type)]).toEqual([type, expected[preference][type]]);
      }
    });
  }

  it('defaults to cumulative and rejects unknown preferences', () => {
    expect(temporalitySelector()(InstrumentType.COUNTER)).toBe(C);
    expect(() => temporalitySelector('weekly' as TemporalityPreference)).toThrow(OptionsError);
  });
});
