import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleTrade } from '../../test/support/sample-records.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { TradeRecord } from '../models/trade-record.ts';
import { chunkBounds, concatTables, estimateBytes } from './columnar-table.ts';
import { metricsTable, tradesTable } from './record-tables.ts';

const trades = (...symbols: string[]) =>
  tradesTable(symbols.map((symbol) => new TradeRecord(sampleTrade({ symbol }))));

describe('concatTables', () => {
  it('joins tables column by column in order', () => {
    const joined = concatTables([trades('A', 'B'), trades('C')]);
    expect(joined.length).toBe(3);
    expect(joined.table).toBe('trading_trades');
    expect(joined.columns[1]).toEqual(['A', 'B', 'C']);
    expect(joined.columns.every((c) => c.length === 3)).toBe(true);
  });

  it('keeps both arrays of nanosecond columns aligned', () => {
    const [a] = metricsTable([new MetricRecord('a', 1, 1_000_000_001n)]);
    const [b] = metricsTable([new MetricRecord('b', 2, 2_000_000_002n)]);
    if (!a || !b) throw new Error('no table');
    const joined = concatTables([a, b]);
    // ts, then time_unix_nano as micros and remainder.
    expect(joined.columns.slice(0, 3)).toEqual([
      [1_000_000, 2_000_000],
      [1_000_000, 2_000_000],
      [1, 2],
    ]);
  });

  it('returns a single table as is and refuses none', () => {
    const one = trades('A');
    expect(concatTables([one])).toBe(one);
    expect(() => concatTables([])).toThrow();
  });
});

describe('estimateBytes', () => {
  it('grows with rows', () => {
    expect(estimateBytes(trades('A', 'B', 'C', 'D'))).toBeGreaterThan(estimateBytes(trades('A')));
    expect(estimateBytes(trades('A'))).toBeGreaterThan(0);
  });
});

describe('chunkBounds', () => {
  it('gives long runs chunks of their own and packs short runs, never over the maximum', () => {
    expect(chunkBounds(5000, [0, 3000], 2048)).toEqual([
      [0, 2048],
      [2048, 3000],
      [3000, 5000],
    ]);
    // Short runs (under 128 rows) are packed together until the maximum.
    expect(chunkBounds(300, [0, 10, 20, 30, 290], 100)).toEqual([
      [0, 30],
      [30, 130],
      [130, 230],
      [230, 290],
      [290, 300],
    ]);
    expect(chunkBounds(10, undefined, 2048)).toEqual([[0, 10]]);
    expect(chunkBounds(0, [], 2048)).toEqual([]);
  });

  it('covers every row exactly once for any runs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.integer({ min: 1, max: 9_999 })),
        (length, cuts) => {
          const starts = [0, ...new Set(cuts.filter((c) => c < length))].sort((a, b) => a - b);
          const bounds = chunkBounds(length, starts, 2048);
          let next = 0;
          for (const [start, end] of bounds) {
            expect(start).toBe(next);
            expect(end - start).toBeGreaterThan(0);
            expect(end - start).toBeLessThanOrEqual(2048);
            next = end;
          }
          expect(next).toBe(length);
        },
      ),
    );
  });
});
