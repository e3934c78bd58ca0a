import { describe, expect, it } from 'vitest';
import { DATA_START } from '../core/trading-data.ts';
import { openMetricsTimestamp } from './open-metrics-file.ts';

describe('openMetricsTimestamp', () => {
  it('reads back as the same millisecond the way promtool parses it (float seconds x 1000, truncated)', () => {
    const off: number[] = [];
    for (let ms = DATA_START; ms < DATA_START + 7 * 86_400_000; ms += 7_919) {
      if (Math.trunc(Number(openMetricsTimestamp(ms)) * 1000) !== ms) off.push(ms);
    }
    expect(off).toEqual([]);
    expect(openMetricsTimestamp(1_741_000_000_007)).toBe('1741000000.0075');
  });
});
