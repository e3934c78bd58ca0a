import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBucketedImmutable, expectQuantileChecks } from '../../test/support/builder-checks.ts';
import { type TestSummary, writeSummaries } from '../../test/support/summaries.ts';
import { Database } from '../database/database.ts';
import { summaryQuantiles } from './summary-quantile.ts';

const T0 = Date.UTC(2024, 0, 2, 12, 0);

// Two series, a point every 20 s for two minutes; the quantiles drift so that the last point differs from the others.
const points: TestSummary[] = ['BTC/USD', 'ETH/USD'].flatMap((symbol, s) =>
  Array.from({ length: 6 }, (_, i) => ({
    name: 'rpc_duration',
    timeMs: T0 + i * 20_000,
    startMs: T0 - 1000,
    symbol,
    count: (i + 1) * 10,
    sum: (i + 1) * 55,
    quantiles: { 0.5: 5 + i + s * 100, 0.9: 9 + i + s * 100, 0.99: 20 + i + s * 100 },
  })),
);

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await writeSummaries(db, points);
});
afterAll(() => db.close());

describe('summaryQuantiles', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectBucketedImmutable(summaryQuantiles('x'), T0, [(b) => b.quantiles([0.5])]);
  });

  it("returns each series' last stored quantiles per bucket", async () => {
    const { rows } = await db.execute(summaryQuantiles('rpc_duration').groupBy({ by: 'symbol' }));
    const expected = [0, 1].flatMap((minute) =>
      ['BTC/USD', 'ETH/USD'].flatMap((symbol) => {
        const last = points
          .filter((p) => p.symbol === symbol && p.timeMs < T0 + (minute + 1) * 60_000)
          .at(-1);
        return [0.5, 0.9, 0.99].map((q) => ({
          bucket: new Date(T0 + minute * 60_000),
          group: symbol,
          quantile: q,
          value: last?.quantiles[q],
          series: 1,
        }));
      }),
    );
    expect(rows).toEqual(expected);
  });

  it('averages the last values over the series of a group and keeps only the asked quantiles', async () => {
    const { rows } = await db.execute(
      summaryQuantiles('rpc_duration').quantiles([0.99, 0.75]).interval('1h'),
    );
    // Last points (i = 5): 20 + 5 and 120 + 5; 0.75 is not stored.
    expect(rows).toEqual([{ bucket: new Date(T0), group: null, quantile: 0.99, value: 75, series: 2 }]);
  });

  it('rejects bad quantiles naming the field', async () => {
    await expectQuantileChecks((q) => summaryQuantiles('x').quantiles(q));
  });
});
