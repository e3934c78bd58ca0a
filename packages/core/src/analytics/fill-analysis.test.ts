import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectImmutable } from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { groupBy } from '../../test/support/group-by.ts';
import {
  latestAtOrBefore,
  MARKET_T0,
  type SeededMarket,
  seededMarket,
} from '../../test/support/market-data.ts';
import { quantile } from '../../test/support/quantile.ts';
import { rounded } from '../../test/support/rounded.ts';
import { type TestPoint, writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { type FillAnalysisRow, type FillSummaryRow, fillAnalysis } from './fill-analysis.ts';

const market = seededMarket(23, 160);
let db: Database;

beforeAll(async () => {
  db = await Database.open(':memory:');
  await writePoints(db, [...market.mids, ...market.latency]);
  await db.insertTrades(market.trades);
});
afterAll(() => db.close());

interface Options {
  horizonsMs: number[];
  toleranceMs?: number;
  strict?: boolean;
  venue?: boolean;
  latency?: boolean;
}

type Fill = SeededMarket['trades'][number];

/** The straightforward per-fill reference of docs/analytics.md. */
function reference(fills: readonly Fill[], o: Options) {
  const asof = (points: readonly TestPoint[], f: Fill, ms: number, strict = false) => {
    const own = points.filter((p) => p.symbol === f.symbol && (!o.venue || p.labels?.venue === f.venue));
    const hit = latestAtOrBefore(own, ms, strict);
    const at = hit ? Number(hit.time / 1_000_000n) : undefined;
    return hit && at !== undefined && (o.toleranceMs === undefined || at >= ms - o.toleranceMs)
      ? hit
      : undefined;
  };
  return [...fills]
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((f) => {
      const sign = f.side === 'buy' ? 1 : -1;
      const notional = f.price * f.quantity;
      const feeBps = ((f.fee ?? 0) / notional) * 1e4;
      const arrival = asof(market.mids, f, f.timestamp, o.strict);
      const slippage = arrival ? ((sign * (f.price - arrival.value)) / arrival.value) * 1e4 : null;
      const after = o.horizonsMs.map((h) => asof(market.mids, f, f.timestamp + h)?.value ?? null);
      const markouts = after.map((m) => (m === null ? null : ((sign * (m - f.price)) / f.price) * 1e4));
      return {
        ts: f.timestamp,
        symbol: f.symbol,
        venue: f.venue,
        strategy: f.strategy ?? null,
        side: f.side,
        price: f.price,
        notional,
        fee: f.fee ?? 0,
        arrival_mid: arrival?.value ?? null,
        arrival_ts: arrival ? Number(arrival.time / 1_000_000n) : null,
        slippage_bps: slippage,
        fee_bps: feeBps,
        cost_bps: slippage === null ? null : slippage + feeBps,
        latency: o.latency ? (asof(market.latency, f, f.timestamp)?.value ?? null) : null,
        mid_after: after,
        markout_bps: markouts,
        net_markout_bps: markouts.map((m) => (m === null ? null : m - feeBps)),
      };
    });
}

function picked(rows: FillAnalysisRow[]) {
  return rows.map((r) => ({
    ts: r.ts.getTime(),
    symbol: r.symbol,
    venue: r.venue,
    strategy: r.strategy,
    side: r.side,
    price: r.price,
    notional: r.notional,
    fee: r.fee,
    arrival_mid: r.arrival_mid,
    arrival_ts: r.arrival_ts?.getTime() ?? null,
    slippage_bps: r.slippage_bps,
    fee_bps: r.fee_bps,
    cost_bps: r.cost_bps,
    latency: r.latency,
    mid_after: r.mid_after,
    markout_bps: r.markout_bps,
    net_markout_bps: r.net_markout_bps,
  }));
}

/** Fills of the same time come in no particular order: compare sorted by time, then side, venue and price. */
const ordered = <T extends { ts: number; side: string; venue: string; price: number }>(rows: T[]) =>
  [...rows].sort(
    (a, b) =>
      a.ts - b.ts || a.side.localeCompare(b.side) || a.venue.localeCompare(b.venue) || a.price - b.price,
  );

const stats = (values: (number | null)[]) => {
  const v = values.filter((x): x is number => x !== null);
  return v.length === 0
    ? { avg: null, p10: null, p50: null, p90: null }
    : {
        avg: v.reduce((a, b) => a + b, 0) / v.length,
        p10: quantile(v, 0.1),
        p50: quantile(v, 0.5),
        p90: quantile(v, 0.9),
      };
};

describe('fillAnalysis per fill', () => {
  it('matches the reference: arrival mid, slippage signed by side, markouts, latency and fees', async () => {
    const { rows } = await db.execute(fillAnalysis('mid').latency('latency_ms'));
    const want = reference(market.trades, { horizonsMs: [1000, 5000, 60_000], latency: true });
    expect(rounded(ordered(picked(rows)))).toEqual(rounded(ordered(want)));
    expect(want.some((w) => w.arrival_mid === null && w.markout_bps[0] !== null)).toBe(true);
    expect(want.some((w) => w.arrival_ts === w.ts)).toBe(true);
    const costly = (side: string, worse: (price: number, mid: number) => boolean) =>
      rows.some(
        (r) =>
          r.side === side &&
          r.arrival_mid !== null &&
          worse(r.price, r.arrival_mid) &&
          (r.slippage_bps ?? 0) > 0,
      );
    expect(costly('buy', (price, mid) => price > mid)).toBe(true);
    expect(costly('sell', (price, mid) => price < mid)).toBe(true);
  });

  it('with a tolerance, venue matching, strict arrival and custom horizons', async () => {
    const q = fillAnalysis('mid')
      .tolerance('1200ms')
      .matchVenue()
      .strictlyBefore()
      .latency('latency_ms')
      .horizons('500ms,2s')
      .between(MARKET_T0 + 1000, MARKET_T0 + 110_000);
    const { rows } = await db.execute(q);
    const fills = market.trades.filter(
      (t) => t.timestamp >= MARKET_T0 + 1000 && t.timestamp < MARKET_T0 + 110_000,
    );
    const want = reference(fills, {
      horizonsMs: [500, 2000],
      toleranceMs: 1200,
      strict: true,
      venue: true,
      latency: true,
    });
    expect(rounded(ordered(picked(rows)))).toEqual(rounded(ordered(want)));
    expect(want.filter((w) => w.markout_bps[1] === null).length).toBeGreaterThan(0);
  });

  it('filters by symbol, venue and strategy', async () => {
    const { rows } = await db.execute(
      fillAnalysis('mid').fills({ symbol: 'ETH/USD', venue: 'beta', strategy: 'mm' }),
    );
    const fills = market.trades.filter(
      (t) => t.symbol === 'ETH/USD' && t.venue === 'beta' && t.strategy === 'mm',
    );
    expect(fills.length).toBeGreaterThan(3);
    expect(rounded(ordered(picked(rows)))).toEqual(
      rounded(ordered(reference(fills, { horizonsMs: [1000, 5000, 60_000], venue: false }))),
    );
  });
});

describe('fillAnalysis summary', () => {
  it('per strategy, symbol and venue: counts, notional, fees, statistics, negative share', async () => {
    const { rows } = await db.execute(fillAnalysis('mid').tolerance('3s').summary());
    const per = reference(market.trades, { horizonsMs: [1000, 5000, 60_000], toleranceMs: 3000 });
    const groups = groupBy(per, (r) => JSON.stringify([r.strategy, r.symbol, r.venue]));
    const want: FillSummaryRow[] = [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, fills]) => {
        const [strategy, symbol, venue] = JSON.parse(key);
        return {
          strategy,
          symbol,
          venue,
          fills: fills.length,
          priced: fills.filter((f) => f.arrival_mid !== null).length,
          notional: fills.reduce((a, f) => a + f.notional, 0),
          fees: fills.reduce((a, f) => a + f.fee, 0),
          slippage_bps: stats(fills.map((f) => f.slippage_bps)),
          cost_bps: stats(fills.map((f) => f.cost_bps)),
          markouts: ['1s', '5s', '60s'].map((horizon, i) => {
            const m = fills.map((f) => f.markout_bps[i] ?? null).filter((x): x is number => x !== null);
            const net = fills.map((f) => f.net_markout_bps[i] ?? null).filter((x): x is number => x !== null);
            return {
              horizon,
              samples: m.length,
              ...stats(m),
              net_avg: net.length ? net.reduce((a, b) => a + b, 0) / net.length : null,
              negative_share: m.length ? m.filter((x) => x < 0).length / m.length : null,
            };
          }),
        };
      });
    expect(rounded(rows)).toEqual(rounded(want));
  });

  it('groups by a subset of keys; an empty selection gives no rows', async () => {
    const { rows } = await db.execute(fillAnalysis('mid').summary(['strategy']));
    expect(rows.map((r) => [r.strategy, r.symbol, r.venue, r.fills])).toEqual([
      ['mm', null, null, market.trades.filter((t) => t.strategy === 'mm').length],
      ['taker', null, null, market.trades.filter((t) => t.strategy === 'taker').length],
    ]);
    const limited = await db.execute(fillAnalysis('mid').limit(1).summary(['strategy']));
    expect(limited.rows.map((r) => r.fills)).toEqual(rows.map((r) => r.fills));
    const none = await db.execute(fillAnalysis('mid').fills({ symbol: 'NONE' }).summary());
    expect(none.rows).toEqual([]);
  });
});

describe('fillAnalysis builder', () => {
  it('is immutable, binds every value and validates its input', async () => {
    expectImmutable(fillAnalysis('mid'), [
      (b) => b.fills({ symbol: 'BTC/USD' }),
      (b) => b.tolerance('2s'),
      (b) => b.horizons('1s'),
      (b) => b.latency('lat'),
      (b) => b.matchVenue(),
      (b) => b.midLabels({ source: 'book' }),
      (b) => b.strictlyBefore(),
    ]);
    expectImmutable(fillAnalysis('mid').summary(), [
      (b) => b.fills({ strategy: 'mm' }),
      (b) => b.horizons('2s,3s'),
    ]);
    await errorOf(ValidationError, () => fillAnalysis('mid').horizons(''));
    await errorOf(ValidationError, () => fillAnalysis('mid').horizons('1s,2s,3s,4s,5s,6s,7s,8s,9s,10s,11s'));
    await errorOf(ValidationError, () => fillAnalysis('mid').summary(['side' as 'venue']));
    await errorOf(ValidationError, () => fillAnalysis(''));
  });
});
