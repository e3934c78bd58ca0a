import {
  aggregateMetrics,
  type CompiledQuery,
  type Database,
  fillAnalysis,
  histogramQuantiles,
  performanceSummary,
  selectEvents,
  type TradeInput,
} from '@duckside/core';
import { type FillFigures, MARKOUT_HORIZONS, MARKOUT_TOLERANCE } from './fill-ground-truth.ts';
import type { Fill, Quote } from './trading-simulator.ts';

/** An event the simulated service logs. */
export interface ServiceEvent {
  severity: 'info' | 'warning' | 'error';
  source: string;
  message: string;
  attributes?: Record<string, string | number | boolean>;
}

/** One analysis printed at the end: the same question through core's builders or the sidecar's query API. */
interface Analysis {
  title: string;
  core: () => { compile(): CompiledQuery<unknown> };
  http: string;
}

const DAY = { interval: '1d' };

/** The analyses the example prints, each answerable in-process and through the sidecar. */
export const ANALYSES: readonly Analysis[] = [
  {
    title: 'Order latency quantiles per symbol (ms, from the OTel histogram)',
    core: () =>
      histogramQuantiles('order_latency_ms')
        .interval(DAY.interval)
        .quantiles([0.5, 0.95, 0.99])
        .groupBy({ by: 'symbol' }),
    http: 'histograms?name=order_latency_ms&interval=1d&quantiles=0.5,0.95,0.99&groupBy=symbol',
  },
  {
    title: 'Last mid price per symbol',
    core: () => aggregateMetrics('mid_price').interval(DAY.interval).fn('last').groupBy({ by: 'symbol' }),
    http: 'aggregate?name=mid_price&interval=1d&fn=last&groupBy=symbol',
  },
  {
    title: 'Worst spread per symbol (bps)',
    core: () => aggregateMetrics('spread_bps').interval(DAY.interval).fn('max').groupBy({ by: 'symbol' }),
    http: 'aggregate?name=spread_bps&interval=1d&fn=max&groupBy=symbol',
  },
  {
    title: 'Fills per strategy (counter increase)',
    core: () =>
      aggregateMetrics('fills_total')
        .interval(DAY.interval)
        .fn('increase')
        .groupBy({ by: 'label', key: 'strategy' }),
    http: 'aggregate?name=fills_total&interval=1d&fn=increase&groupBy=label.strategy',
  },
  {
    title: 'Process: peak event-loop lag p99 (ms)',
    core: () => aggregateMetrics('nodejs.eventloop.lag.p99').interval(DAY.interval).fn('max'),
    http: 'aggregate?name=nodejs.eventloop.lag.p99&interval=1d&fn=max',
  },
  {
    title: 'Performance per strategy and symbol',
    core: () => performanceSummary().groupBy({ strategy: true, symbol: true }),
    http: 'performance?groupBy=strategy,symbol',
  },
  {
    title: 'Events at warning or above (latest 5)',
    core: () => selectEvents().minSeverity('warning').limit(5),
    http: 'events?severity=warning&limit=5',
  },
];

/** Where the simulated service writes trades, quotes and events and reads its analyses. */
export interface TradingStore {
  /** Stores fills made at `at` (unix ms). */
  recordFills(fills: readonly Fill[], at: number): Promise<void>;
  /** Stores the mids of quotes seen at `at` as the application metric `quote_mid`. */
  recordQuotes(quotes: readonly Quote[], at: number): Promise<void>;
  recordEvent(event: ServiceEvent): Promise<void>;
  analyse(analysis: Analysis): Promise<Record<string, unknown>[]>;
  /** Slippage and markouts of the stored fills per strategy, against `quote_mid`. */
  fillFigures(): Promise<FillFigures[]>;
}

/** The fill analysis the example reports, in-process and as the sidecar's query string. */
const FILLS = {
  core: () =>
    fillAnalysis('quote_mid')
      .horizons(MARKOUT_HORIZONS.map((h) => h.name))
      .tolerance(MARKOUT_TOLERANCE.name)
      .summary(['strategy']),
  http: `analytics/fills?mid=quote_mid&horizons=${MARKOUT_HORIZONS.map((h) => h.name).join(',')}&tolerance=${MARKOUT_TOLERANCE.name}&groupBy=strategy&limit=1`,
};

/** The printed figures of one strategy: fills, mean slippage and mean markout per horizon. */
function figures(
  strategy: string | null,
  fills: number,
  slippage: number | null,
  markouts: readonly { avg: number | null }[],
): FillFigures {
  return {
    strategy,
    fills,
    slippage_bps: slippage,
    ...Object.fromEntries(MARKOUT_HORIZONS.map((h, i) => [`markout_${h.name}`, markouts[i]?.avg ?? null])),
  };
}

/** A summary group as the sidecar answers it (`/api/v1/analytics/fills`). */
interface SummaryJson {
  strategy: string | null;
  fills: number;
  slippageBps: { avg: number | null };
  markouts: { avg: number | null }[];
}

const toQuoteMetrics = (quotes: readonly Quote[], at: number) =>
  quotes.map((q) => ({ name: 'quote_mid', value: q.mid, timestamp: at, symbol: q.symbol }));

const toTrade = (f: Fill, at: number): TradeInput => ({
  timestamp: at,
  symbol: f.symbol,
  venue: f.venue,
  side: f.side,
  quantity: f.quantity,
  price: f.price,
  fee: f.fee,
  orderId: f.orderId,
  tradeId: f.tradeId,
  strategy: f.strategy,
});

/**
 * In-process store: writes and reads the core database directly.
 * @example const store = coreStore(db);
 */
export function coreStore(db: Database): TradingStore {
  return {
    recordFills: (fills, at) => db.insertTrades(fills.map((f) => toTrade(f, at))),
    recordQuotes: (quotes, at) => db.insertMetrics(toQuoteMetrics(quotes, at)),
    recordEvent: (event) => db.insertEvents([event]),
    analyse: async (a) => (await db.execute(a.core())).rows as Record<string, unknown>[],
    fillFigures: async () =>
      (await db.execute(FILLS.core())).rows.map((r) =>
        figures(r.strategy, r.fills, r.slippage_bps.avg, r.markouts),
      ),
  };
}

/**
 * Sidecar store: posts trades and events to the sidecar's ingest API and reads through its query API.
 * @example const store = sidecarStore('http://127.0.0.1:4318', process.env.DUCKSIDE_TOKEN);
 */
export function sidecarStore(baseUrl: string, token: string | undefined): TradingStore {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/api/v1/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as {
      data?: Record<string, unknown>[];
      summary?: SummaryJson[];
      error?: { message: string };
    };
    if (!response.ok) throw new Error(`sidecar ${path}: ${response.status} ${json.error?.message ?? ''}`);
    return json;
  };
  return {
    recordFills: async (fills, at) => {
      if (fills.length > 0)
        await call(
          'trades',
          fills.map((f) => toTrade(f, at)),
        );
    },
    recordQuotes: async (quotes, at) => {
      await call('metrics', toQuoteMetrics(quotes, at));
    },
    recordEvent: async (event) => {
      await call('events', [event]);
    },
    analyse: async (a) => (await call(a.http)).data ?? [],
    fillFigures: async () =>
      ((await call(FILLS.http)).summary ?? []).map((r) =>
        figures(r.strategy, r.fills, r.slippageBps.avg, r.markouts),
      ),
  };
}
