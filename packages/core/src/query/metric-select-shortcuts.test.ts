import { mulberry32 } from '@duckside/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPoint, writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import { compiled } from './compiled-query.ts';
import { selectMetrics } from './metric-select.ts';

const DAY = 86_400_000_000_000n;
const T0 = BigInt(Date.UTC(2024, 0, 2)) * 1_000_000n;
const rand = mulberry32(11);
/** Two days of points: dense in the first hours of each day, sparse after, so some parts hold few points. */
const points: TestPoint[] = Array.from({ length: 4000 }, (_, i) => {
  const dense = i % 4 !== 0;
  const offset = dense ? rand() * 0.1 : rand();
  return {
    name: 'order_latency_ms',
    time: T0 + BigInt(i % 2) * DAY + BigInt(Math.floor(offset * Number(DAY))),
    value: i,
    symbol: i % 3 === 0 ? 'BTC/USD' : 'ETH/USD',
  };
});

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await writePoints(db, points);
});
afterAll(() => db.close());

describe('selectMetrics shortcuts', () => {
  it('looks at the newest (oldest) 1/32 of a closed range first, and not at all for an open one', () => {
    const closed = selectMetrics()
      .between(T0, T0 + 64_000_000_000n)
      .compile();
    expect(closed.shortcuts?.map((s) => s.params.slice(0, 2))).toEqual([
      ['2024-01-02 00:01:02.000000', '2024-01-02 00:01:04.000000'],
    ]);
    const oldest = selectMetrics()
      .between(T0, T0 + 64_000_000_000n)
      .order('asc')
      .compile();
    expect(oldest.shortcuts?.map((s) => s.params.slice(0, 2))).toEqual([
      ['2024-01-02 00:00:00.000000', '2024-01-02 00:00:02.000000'],
    ]);
    expect(selectMetrics().between(T0, undefined).compile().shortcuts).toBeUndefined();
  });

  it('answers exactly what the whole query answers, for any range, order, limit and row cap', async () => {
    const span = 2n * DAY;
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: span }),
        fc.bigInt({ min: 0n, max: span }),
        fc.constantFrom('asc' as const, 'desc' as const),
        fc.integer({ min: 1, max: 1500 }),
        fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
        fc.constantFrom('BTC/USD', 'ETH/USD'),
        async (a, b, order, limit, maxRows, symbol) => {
          const [from, to] = a < b ? [T0 + a, T0 + b] : [T0 + b, T0 + a];
          const query = selectMetrics().symbol(symbol).between(from, to).order(order).limit(limit).compile();
          const whole = compiled(query.sql, query.params);
          const [fast, slow] = await Promise.all([
            db.query(query, { maxRows }),
            db.query(whole, { maxRows }),
          ]);
          expect(fast).toEqual(slow);
        },
      ),
      { numRuns: 150 },
    );
  });
});
