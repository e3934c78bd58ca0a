import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeExpHistograms } from '../../test/support/exp-histograms.ts';
import { sampleCandle, sampleTrade } from '../../test/support/sample-records.ts';
import { writeSummaries } from '../../test/support/summaries.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { recentMarkets, recentMetricNames, recentMetricSymbols } from './recent-names.ts';
import { tableCounts } from './table-counts.ts';

const T0 = Date.UTC(2024, 0, 1);
const SINCE = T0 + 3_600_000;
const late = (ms: number) => SINCE + ms;

describe('recent names and table counts', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open({ path: ':memory:' });
    await db.insertMetrics([
      new MetricRecord('old_only', 1, T0),
      new MetricRecord('b_latency', 1, late(1)).withSymbol('ETH/USD'),
      new MetricRecord('a_fill', 1, late(2)).withSymbol('BTC/USD'),
      new MetricRecord('a_fill', 2, late(3)),
      new MetricRecord('c_old_symbol', 1, T0).withSymbol('OLD/USD'),
    ]);
    await db.insertCandles([
      sampleCandle({ symbol: 'BTC/USD', interval: '5m', timestamp: late(0) }),
      sampleCandle({ symbol: 'BTC/USD', interval: '1m', timestamp: late(0) }),
      sampleCandle({ symbol: 'OLD/USD', interval: '1m', timestamp: T0 }),
    ]);
    await db.insertTrades([sampleTrade({ symbol: 'SOL/USD', timestamp: late(5) })]);
  });
  afterAll(async () => {
    await db.close();
  });

  it('lists metric names, markets and metric symbols seen since a time, sorted and limited', async () => {
    expect(await db.all(recentMetricNames(SINCE, 10))).toEqual([
      { name: 'a_fill', kind: 'scalar' },
      { name: 'b_latency', kind: 'scalar' },
    ]);
    expect(await db.all(recentMetricNames(SINCE, 1))).toEqual([{ name: 'a_fill', kind: 'scalar' }]);
    expect(await db.all(recentMarkets(SINCE, 10))).toEqual([
      { symbol: 'BTC/USD', intervals: ['1m', '5m'], trades: false },
      { symbol: 'SOL/USD', intervals: null, trades: true },
    ]);
    expect(await db.all(recentMetricSymbols(SINCE, 10))).toEqual([
      { symbol: 'BTC/USD' },
      { symbol: 'ETH/USD' },
    ]);
  });

  it('refuses a limit that is not a positive integer and a bad time', () => {
    expect(() => recentMarkets(SINCE, 0)).toThrow(ValidationError);
    expect(() => recentMetricNames(SINCE, 1.5)).toThrow(/limit: must be a positive integer/);
    expect(() => recentMetricSymbols('yesterday', 10)).toThrow(ValidationError);
  });

  it('counts the rows of each data table with its newest time', async () => {
    const counts = new Map((await db.all(tableCounts())).map((c) => [c.table, c]));
    expect(Number(counts.get('trading_metrics')?.rows)).toBe(5);
    expect(counts.get('trading_metrics')?.newest).toEqual(new Date(late(3)));
    expect(Number(counts.get('trading_candles')?.rows)).toBe(3);
    expect(Number(counts.get('system_events')?.rows)).toBe(0);
    expect(counts.get('system_events')?.newest).toBeNull();
    expect(() => tableCounts(['nope' as 'system_events'])).toThrow(ValidationError);
  });
});

describe('recent names of every metric kind', () => {
  it('lists exponential histograms and summaries with their kinds, and their symbols', async () => {
    const db = await Database.open({ path: ':memory:' });
    try {
      await writeExpHistograms(db, [
        { name: 'latency', timeMs: late(1), symbol: 'ETH/USD', scale: 2, values: [1] },
      ]);
      await writeSummaries(db, [
        {
          name: 'rpc',
          timeMs: late(2),
          startMs: T0,
          symbol: 'SOL/USD',
          count: 1,
          sum: 1,
          quantiles: { 0.5: 1 },
        },
      ]);
      expect(await db.all(recentMetricNames(SINCE, 10))).toEqual([
        { name: 'latency', kind: 'exponentialHistogram' },
        { name: 'rpc', kind: 'summary' },
      ]);
      expect(await db.all(recentMetricSymbols(SINCE, 10))).toEqual([
        { symbol: 'ETH/USD' },
        { symbol: 'SOL/USD' },
      ]);
    } finally {
      await db.close();
    }
  });
});
