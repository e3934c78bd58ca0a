import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectImmutable } from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { latestAtOrBefore, MARKET_T0, seededMarket } from '../../test/support/market-data.ts';
import type { TestPoint } from '../../test/support/write-points.ts';
import { writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { asofJoin } from './asof-join.ts';

const market = seededMarket(19);
const MID = { kind: 'metric', name: 'mid' } as const;
let db: Database;

beforeAll(async () => {
  db = await Database.open(':memory:');
  await writePoints(db, [...market.mids, ...market.latency]);
  await db.insertTrades(market.trades);
  await db.insertEvents([
    {
      timestamp: MARKET_T0 + 1000,
      severity: 'error',
      source: 'gw',
      message: 'early',
      attributes: { symbol: 'BTC/USD' },
    },
    {
      timestamp: MARKET_T0 + 40_000,
      severity: 'error',
      source: 'gw',
      message: 'mid',
      attributes: { symbol: 'ETH/USD', venue: 'beta' },
    },
    { timestamp: MARKET_T0 + 41_000, severity: 'info', source: 'gw', message: 'no symbol' },
  ]);
});
afterAll(() => db.close());

/** Reference: each fill in time order with the mid that should match (value and time in ms), or null. */
function expected(
  points: readonly TestPoint[],
  options: { strict?: boolean; toleranceMs?: number; venue?: boolean } = {},
): { ts: number; value: number | null; at: number | null }[] {
  const fills = [...market.trades].sort((a, b) => a.timestamp - b.timestamp);
  return fills.map((f) => {
    const own = points.filter(
      (p) => p.symbol === f.symbol && (!options.venue || p.labels?.venue === f.venue),
    );
    const hit = latestAtOrBefore(own, f.timestamp, options.strict);
    const at = hit ? Number(hit.time / 1_000_000n) : null;
    const ok = at !== null && (options.toleranceMs === undefined || at >= f.timestamp - options.toleranceMs);
    return { ts: f.timestamp, value: ok ? (hit?.value ?? null) : null, at: ok ? at : null };
  });
}

async function actual(builder: ReturnType<typeof asofJoin<{ kind: 'trades' }, typeof MID>>) {
  const { rows } = await db.execute(builder);
  return rows.map((r) => ({ ts: r.ts.getTime(), value: r.right_value, at: r.right_ts?.getTime() ?? null }));
}

/** Sorts by time then value, since fills of the same time come in no particular order. */
const sorted = <T extends { ts: number; value: number | null }>(rows: T[]) =>
  [...rows].sort((a, b) => a.ts - b.ts || (a.value ?? -1) - (b.value ?? -1));

describe('asofJoin: trades to a metric series', () => {
  it('matches the latest mid at or before each fill, on symbol, and none before the first price', async () => {
    const rows = await actual(asofJoin({ kind: 'trades' }, MID));
    const want = expected(market.mids);
    expect(sorted(rows)).toEqual(sorted(want));
    expect(want.filter((w) => w.value === null).length).toBeGreaterThan(0);
    expect(want.filter((w) => w.at === w.ts).length).toBeGreaterThan(0);
  });

  it('strictly before skips a mid at the fill time itself', async () => {
    const rows = await actual(asofJoin({ kind: 'trades' }, MID).strictlyBefore());
    expect(sorted(rows)).toEqual(sorted(expected(market.mids, { strict: true })));
  });

  it('with a tolerance, a latest mid older than it matches nothing (gaps longer than the tolerance)', async () => {
    const rows = await actual(asofJoin({ kind: 'trades' }, MID).tolerance('1500ms'));
    const want = expected(market.mids, { toleranceMs: 1500 });
    expect(sorted(rows)).toEqual(sorted(want));
    const untolerated = expected(market.mids);
    expect(want.filter((w) => w.value === null).length).toBeGreaterThan(
      untolerated.filter((w) => w.value === null).length,
    );
  });

  it('matches the venue label and filters symbol, venue, strategy and range', async () => {
    const rows = await actual(
      asofJoin({ kind: 'trades', strategy: 'mm' }, MID)
        .matchVenue()
        .symbol('BTC/USD')
        .between(MARKET_T0 + 10_000, MARKET_T0 + 100_000),
    );
    const kept = new Set(
      market.trades
        .filter((t) => t.strategy === 'mm' && t.symbol === 'BTC/USD')
        .filter((t) => t.timestamp >= MARKET_T0 + 10_000 && t.timestamp < MARKET_T0 + 100_000)
        .map((t) => t.timestamp),
    );
    const want = expected(market.mids, { venue: true }).filter((w) => kept.has(w.ts));
    expect(want.length).toBeGreaterThan(3);
    expect(sorted(rows)).toEqual(sorted(want));
  });
});

describe('asofJoin: other sources', () => {
  it('events take symbol and venue from their attributes; an event without symbol matches nothing', async () => {
    const { rows } = await db.execute(
      asofJoin({ kind: 'events' }, { kind: 'metric', name: 'mid' }).matchVenue().tolerance('60s'),
    );
    expect(rows.map((r) => [r.message, r.symbol])).toEqual([
      ['early', 'BTC/USD'],
      ['mid', 'ETH/USD'],
      ['no symbol', null],
    ]);
    const eth = market.mids.filter((p) => p.symbol === 'ETH/USD' && p.labels?.venue === 'beta');
    expect(rows[0]?.right_value).toBeNull();
    expect(rows[1]?.right_value).toBe(latestAtOrBefore(eth, MARKET_T0 + 40_000)?.value);
    expect(rows[2]?.right_value).toBeNull();
  });

  it('candles are matched from their end, so an open candle is never used', async () => {
    await db.insertCandles(
      [0, 60_000].map((offset, i) => ({
        symbol: 'BTC/USD',
        venue: 'alpha',
        interval: '1m',
        timestamp: MARKET_T0 + offset,
        open: 1 + i,
        high: 2 + i,
        low: 0.5 + i,
        close: 1.5 + i,
        volume: 10 * (i + 1),
      })),
    );
    const { rows } = await db.execute(
      asofJoin({ kind: 'metric', name: 'mid', labels: { venue: 'alpha' } }, { kind: 'candles' })
        .symbol('BTC/USD')
        .matchVenue()
        .between(MARKET_T0, MARKET_T0 + 150_000),
    );
    for (const r of rows) {
      const t = r.ts.getTime();
      const close = t >= MARKET_T0 + 120_000 ? 2.5 : t >= MARKET_T0 + 60_000 ? 1.5 : null;
      expect(r.right_close).toBe(close);
      expect(r.right_ts?.getTime() ?? null).toBe(
        close === null ? null : close === 1.5 ? MARKET_T0 : MARKET_T0 + 60_000,
      );
    }
    expect(new Set(rows.map((r) => r.right_close)).size).toBe(3);
  });

  it('trades to the previous trade of the same symbol and venue (strictly before)', async () => {
    const { rows } = await db.execute(
      asofJoin({ kind: 'trades' }, { kind: 'trades' }).matchVenue().strictlyBefore(),
    );
    const want = market.trades.map((t) => {
      const before = market.trades.filter(
        (o) => o.symbol === t.symbol && o.venue === t.venue && o.timestamp < t.timestamp,
      );
      const last = Math.max(...before.map((o) => o.timestamp));
      return [t.timestamp, before.length === 0 ? null : last];
    });
    expect(rows.map((r) => [r.ts.getTime(), r.right_ts?.getTime() ?? null]).sort()).toEqual(want.sort());
  });

  it('matches metric points on a label of both sides', async () => {
    const { rows } = await db.execute(
      asofJoin({ kind: 'metric', name: 'latency_ms' }, MID).matchLabel('venue').symbol('ETH/USD'),
    );
    const eth = market.latency.filter((p) => p.symbol === 'ETH/USD');
    expect(rows).toHaveLength(eth.length);
    for (const r of rows) {
      const venue = JSON.parse(r.attributes).venue;
      const own = market.mids.filter((p) => p.symbol === 'ETH/USD' && p.labels?.venue === venue);
      expect(r.right_value).toBe(latestAtOrBefore(own, r.ts.getTime())?.value ?? null);
    }
  });
});

describe('asofJoin: builder', () => {
  it('is immutable and binds every value', () => {
    expectImmutable(asofJoin({ kind: 'trades' }, MID), [
      (b) => b.symbol('BTC/USD'),
      (b) => b.venue('alpha'),
      (b) => b.tolerance('5s'),
      (b) => b.strictlyBefore(),
      (b) => b.between(MARKET_T0, MARKET_T0 + 1000),
      (b) => b.limit(5),
    ]);
    const q = asofJoin({ kind: 'trades' }, { kind: 'metric', name: "x'; DROP TABLE t; --" }).compile();
    expect(q.sql).not.toContain('DROP');
  });

  it('refuses labels on sources without them, bad tolerances and reversed ranges', async () => {
    await errorOf(ValidationError, () => asofJoin({ kind: 'trades' }, MID).matchLabel('venue').compile());
    await errorOf(ValidationError, () => asofJoin({ kind: 'trades' }, MID).tolerance('0s'));
    await errorOf(ValidationError, () => asofJoin({ kind: 'trades' }, MID).tolerance('2d'));
    await errorOf(ValidationError, () => asofJoin({ kind: 'trades' }, MID).between(2000, 1000).compile());
  });
});
