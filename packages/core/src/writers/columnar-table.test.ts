import { describe, expect, it } from 'vitest';
import { sampleTrade } from '../../test/support/sample-records.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { TradeRecord } from '../models/trade-record.ts';
import { concatTables, estimateBytes } from './columnar-table.ts';
import { metricsBatch, tradesTable } from './record-tables.ts';

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
    const points = (name: string, value: number, nanos: bigint) =>
      metricsBatch([new MetricRecord(name, value, nanos)])
        .toTables()
        .find((t) => t.table === 'metric_points');
    const a = points('a', 1, 1_000_000_001n);
    const b = points('b', 2, 2_000_000_002n);
    if (!a || !b) throw new Error('no table');
    const joined = concatTables([a, b]);
    // series_id, ts, then time_unix_nano as micros and remainder.
    expect(joined.columns.slice(1, 4)).toEqual([
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
