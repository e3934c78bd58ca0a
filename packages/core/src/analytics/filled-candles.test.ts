import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketStart } from '../../test/support/bucket-start.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { rounded } from '../../test/support/rounded.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { type FilledCandleRow, filledCandles } from './filled-candles.ts';
import type { GapFill } from './gap-fill.ts';

const T0 = Date.UTC(2024, 0, 2, 9, 0, 0);
const MIN = 60_000;
/** Trades of X at minute offsets: [minute, price, quantity]. */
const TRADES: [number, number, number][] = [
  [1.1, 100, 1],
  [1.5, 104, 2],
  [1.9, 99, 1],
  [2.4, 101, 3],
  [5.2, 110, 1],
  [5.8, 108, 1],
];

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.insertTrades(
    TRADES.map(([m, price, quantity]) => ({
      timestamp: T0 + m * MIN,
      symbol: 'X',
      venue: 'v1',
      side: 'buy',
      quantity,
      price,
    })),
  );
  await db.insertCandles(
    [
      ['v1', 0, 10],
      ['v1', 3, 13],
      ['v2', 1, 21],
    ].map(([venue, m, close]) => ({
      symbol: 'X',
      venue: venue as string,
      interval: '1m',
      timestamp: T0 + (m as number) * MIN,
      open: (close as number) - 1,
      high: (close as number) + 1,
      low: (close as number) - 2,
      close: close as number,
      volume: 5,
    })),
  );
});
afterAll(() => db.close());

type Candle = Omit<FilledCandleRow, 'ts'> & { ts: number };

/** Reference candles from TRADES over [bucket(from), to), then filled. */
function reference(from: number, to: number, fill: GapFill): Candle[] {
  const rows: Candle[] = [];
  for (let b = bucketStart(from, MIN); b < to; b += MIN) {
    const own = TRADES.filter(
      ([m]) => T0 + m * MIN >= from && T0 + m * MIN < to && bucketStart(T0 + m * MIN, MIN) === b,
    );
    const prices = own.map(([, p]) => p);
    const volume = own.reduce((a, [, , q]) => a + q, 0);
    rows.push(
      own.length === 0
        ? {
            ts: b,
            symbol: 'X',
            venue: null,
            open: null,
            high: null,
            low: null,
            close: null,
            volume: null,
            vwap: null,
            trades: null,
            filled: true,
          }
        : {
            ts: b,
            symbol: 'X',
            venue: null,
            open: prices[0] as number,
            high: Math.max(...prices),
            low: Math.min(...prices),
            close: prices.at(-1) as number,
            volume,
            vwap: own.reduce((a, [, p, q]) => a + p * q, 0) / volume,
            trades: own.length,
            filled: false,
          },
    );
  }
  if (fill === 'none') return rows.filter((r) => !r.filled);
  if (fill === 'null') return rows;
  const known = rows.filter((r) => !r.filled);
  for (const r of rows.filter((x) => x.filled)) {
    const before = known.filter((k) => k.ts < r.ts).at(-1);
    const after = known.find((k) => k.ts > r.ts);
    for (const c of ['open', 'high', 'low', 'close'] as const) {
      if (typeof fill === 'number') r[c] = fill;
      else if (fill === 'prev') r[c] = before?.close ?? null;
      else if (before && after) {
        r[c] =
          (before[c] as number) +
          (((after[c] as number) - (before[c] as number)) * (r.ts - before.ts)) / (after.ts - before.ts);
      }
    }
    r.volume = 0;
    r.trades = 0;
  }
  return rows;
}

const plain = (rows: FilledCandleRow[]) => rows.map((r) => ({ ...r, ts: r.ts.getTime() }));

describe('filledCandles from trades', () => {
  const RANGES: [string, number, number][] = [
    ['the whole range', T0, T0 + 8 * MIN],
    ['edges inside the data, from mid-bucket', T0 + 1.7 * MIN, T0 + 5.5 * MIN],
    ['one trade', T0 + 2 * MIN, T0 + 3 * MIN],
    ['empty', T0 + 30 * MIN, T0 + 33 * MIN],
  ];
  for (const [label, from, to] of RANGES) {
    it(`${label}: every mode`, async () => {
      for (const fill of ['none', 'null', 'prev', 'linear', 42] as GapFill[]) {
        const { rows } = await db.execute(filledCandles('X').fromTrades().between(from, to).fill(fill));
        expect(rounded(plain(rows)), `fill ${fill}`).toEqual(rounded(reference(from, to, fill)));
      }
    });
  }
});

describe('filledCandles from stored candles', () => {
  it('fills each venue seen with the previous close and zero volume', async () => {
    const { rows } = await db.execute(
      filledCandles('X')
        .between(T0, T0 + 5 * MIN)
        .fill('prev'),
    );
    expect(
      rows.map((r) => [(r.ts.getTime() - T0) / MIN, r.venue, r.close, r.open, r.volume, r.filled]),
    ).toEqual([
      [0, 'v1', 10, 9, 5, false],
      [0, 'v2', null, null, 0, true],
      [1, 'v1', 10, 10, 0, true],
      [1, 'v2', 21, 20, 5, false],
      [2, 'v1', 10, 10, 0, true],
      [2, 'v2', 21, 21, 0, true],
      [3, 'v1', 13, 12, 5, false],
      [3, 'v2', 21, 21, 0, true],
      [4, 'v1', 13, 13, 0, true],
      [4, 'v2', 21, 21, 0, true],
    ]);
    expect(rows.every((r) => r.trades === null)).toBe(true);
  });

  it('one venue asked for gets every bucket even without data; all venues without data get none', async () => {
    const one = await db.execute(
      filledCandles('X')
        .venue('v2')
        .between(T0 + 60 * MIN, T0 + 62 * MIN)
        .fill('null'),
    );
    expect(one.rows.map((r) => [r.venue, r.filled])).toEqual([
      ['v2', true],
      ['v2', true],
    ]);
    const all = await db.execute(
      filledCandles('X')
        .between(T0 + 60 * MIN, T0 + 62 * MIN)
        .fill('null'),
    );
    expect(all.rows).toEqual([]);
  });

  it('refuses an open range, too many buckets and unknown modes', async () => {
    await errorOf(ValidationError, () => filledCandles('X').fill('prev'));
    await errorOf(ValidationError, () =>
      filledCandles('X')
        .between(T0, T0 + 1000 * MIN)
        .maxBuckets(10)
        .fill('null'),
    );
    await errorOf(ValidationError, () =>
      filledCandles('X')
        .between(T0, T0 + MIN)
        .fill('nearest'),
    );
  });
});
