import { describe, expect, it } from 'vitest';
import { waitForQuietCpu } from './quiet-cpu.ts';

describe('waitForQuietCpu', () => {
  it('measures the busy fraction over one window and gives up at the timeout', async () => {
    const result = await waitForQuietCpu({ threshold: -1, windowMs: 50, timeoutMs: 120 });
    expect(result.quiet).toBe(false);
    expect(result.busy).toBeGreaterThanOrEqual(0);
    expect(result.busy).toBeLessThanOrEqual(1);
    expect(result.waitedMs).toBeGreaterThanOrEqual(120);
    expect(result.waitedMs).toBeLessThan(1000);
  });

  it('returns after one window when the threshold is met', async () => {
    const result = await waitForQuietCpu({ threshold: 1, windowMs: 50 });
    expect(result.quiet).toBe(true);
    expect(result.waitedMs).toBeLessThan(1000);
  });
});
