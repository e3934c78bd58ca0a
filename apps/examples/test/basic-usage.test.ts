import { describe, expect, it } from 'vitest';
import { numberAfter, runExample } from './run-example.ts';

describe('basic-usage example', () => {
  it('prints real figures for inserts, queries, candles, events and statistics', async () => {
    const { code, stdout, stderr } = await runExample('basic-usage', ['--duration', '1']);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const inserted = numberAfter(stdout, 'inserted');
    expect(inserted).toBeGreaterThan(60);
    expect(stdout).toMatch(/verified ok/);
    // The statistics table reports exactly the points the example says it inserted.
    expect(stdout).toMatch(new RegExp(`trading_metrics\\s+${inserted}\\s`));
    // Candles re-sent once stay one per symbol and minute; three symbols means at least three rows.
    const candleRows =
      stdout
        .split('Stored 1m candles')[1]
        ?.split('\n\n')[0]
        ?.match(/kraken/g) ?? [];
    expect(candleRows.length).toBeGreaterThanOrEqual(3);
    expect(stdout).toMatch(/warning\s+gateway\s+kraken websocket reconnect/);
    expect(numberAfter(stdout, 'file size')).toBeGreaterThan(0);
  });
});
