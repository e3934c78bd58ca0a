import { describe, expect, it } from 'vitest';
import { IngestRateMeter } from './ingest-rate-meter.ts';

/** A meter over a counter and a clock the test moves by hand. */
function meterWith(options: { windowMs?: number; minSpanMs?: number } = {}) {
  const state = { rows: 0, now: 1_000_000 };
  const meter = new IngestRateMeter(() => state.rows, { ...options, now: () => state.now });
  return { state, meter };
}

describe('IngestRateMeter', () => {
  it('is null until two samples are at least minSpanMs apart', () => {
    const { state, meter } = meterWith({ minSpanMs: 1000 });
    expect(meter.rate()).toBeNull();
    state.now += 500;
    state.rows = 100;
    expect(meter.rate()).toBeNull();
    state.now += 500;
    expect(meter.rate()).toBe(100);
  });

  it('measures rows per second since the oldest sample in the window', () => {
    const { state, meter } = meterWith({ windowMs: 60_000 });
    meter.sample();
    for (let i = 0; i < 10; i++) {
      state.now += 5_000;
      state.rows += 2_500;
      meter.sample();
    }
    expect(meter.rate()).toBe(500);
  });

  it('forgets samples older than the window, so a burst fades out', () => {
    const { state, meter } = meterWith({ windowMs: 10_000 });
    meter.sample();
    state.now += 1_000;
    state.rows = 10_000;
    meter.sample();
    for (let i = 0; i < 30; i++) {
      state.now += 1_000;
      meter.sample();
    }
    expect(meter.rate()).toBe(0);
  });

  it('never reports a negative rate when the counter goes back', () => {
    const { state, meter } = meterWith();
    state.rows = 500;
    meter.sample();
    state.now += 2_000;
    state.rows = 100;
    expect(meter.rate()).toBe(0);
  });
});
