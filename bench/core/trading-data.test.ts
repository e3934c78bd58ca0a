import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_TEXTS, METRICS, SYMBOLS } from './trading-catalog.ts';
import { DATA_DAYS, DATA_START, TradingDataGenerator } from './trading-data.ts';

describe('TradingDataGenerator', () => {
  it('produces the same rows for the same seed, batch sizes aside', () => {
    const a = new TradingDataGenerator(5000);
    const b = new TradingDataGenerator(5000);
    const whole = a.next(5000)!;
    const first = b.next(2000)!;
    const rest = b.next(10_000)!;
    expect(b.next(1)).toBeUndefined();
    expect(first.length + rest.length).toBe(5000);
    expect([...first.value, ...rest.value]).toEqual([...whole.value]);
    expect([...first.timeMicros, ...rest.timeMicros]).toEqual([...whole.timeMicros]);
  });

  it('spreads points over the data set in time order with valid catalog indices', () => {
    const rows = new TradingDataGenerator(20_000).next(20_000)!;
    const start = DATA_START * 1000;
    const end = start + DATA_DAYS * 86_400_000_000;
    for (let i = 0; i < rows.length; i++) {
      const t = rows.timeMicros[i]!;
      expect(t >= start && t < end).toBe(true);
      if (i > 0) expect(t).toBeGreaterThan(rows.timeMicros[i - 1]!);
      expect(rows.metric[i]!).toBeLessThan(METRICS.length);
      expect(ATTRIBUTE_TEXTS[rows.attributes[i]!]).toContain(
        `"symbol":"${SYMBOLS[rows.symbol[i]!]!.symbol}"`,
      );
      expect(Number.isFinite(rows.value[i]!)).toBe(true);
    }
    expect(rows.timeMicros[rows.length - 1]! - rows.timeMicros[0]!).toBeGreaterThan(0.99 * (end - start));
  });

  it('draws metrics roughly in their configured shares', () => {
    const rows = new TradingDataGenerator(50_000).next(50_000)!;
    const counts = new Array(METRICS.length).fill(0);
    for (const m of rows.metric) counts[m]++;
    METRICS.forEach((def, i) => {
      expect(counts[i] / 50_000).toBeCloseTo(def.weight, 1);
    });
  });
});
