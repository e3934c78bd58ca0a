import {
  FILL_SUMMARY_KEYS,
  type FillAnalysisRow,
  type FillSummaryRow,
  fillAnalysis,
  timeWeighted,
  ValidationError,
} from '@duckside/core';
import { jsonResponse } from '../../http/json-response.ts';
import { grouping, list, params, type QueryEndpointDeps, RANGE_PARAMS, ranged } from './endpoint-helpers.ts';
import { tradeJson } from './row-formats.ts';

const FILL_PARAMS = [
  'symbol',
  'strategy',
  'venue',
  'mid',
  'horizons',
  'tolerance',
  'latency',
  'strict',
  'venueLabel',
  'groupBy',
  ...RANGE_PARAMS,
] as const;

/**
 * `GET /api/v1/analytics/fills` (per-fill arrival mid, slippage, markouts and latency, and the summary per
 * strategy, symbol and venue) and `GET /api/v1/analytics/twap` (time-weighted average and integral of a gauge per
 * bucket). Definitions in docs/analytics.md.
 * @example registerAnalyticsEndpoints({ app, db, queries, maxBuckets: 100_000 });
 */
export function registerAnalyticsEndpoints({ app, queries, maxBuckets }: QueryEndpointDeps): void {
  app.get('/api/v1/analytics/fills', async (c) => {
    const p = params(c, FILL_PARAMS, { labels: true });
    let q = ranged(fillAnalysis(p.required('mid')), p).fills({
      symbol: p.string('symbol'),
      strategy: p.string('strategy'),
      venue: p.string('venue'),
    });
    const horizons = p.string('horizons');
    const tolerance = p.string('tolerance');
    const latency = p.string('latency');
    const venueLabel = p.string('venueLabel');
    const strict = p.choice('strict', ['true', 'false'] as const);
    if (horizons !== undefined) q = q.horizons(horizons);
    if (tolerance !== undefined) q = q.tolerance(tolerance);
    if (latency !== undefined) q = q.latency(latency);
    if (venueLabel !== undefined) q = q.matchVenue(venueLabel);
    if (strict === 'true') q = q.strictlyBefore();
    if (Object.keys(p.labels).length > 0) q = q.midLabels(p.labels);
    const by = p.list('groupBy', FILL_SUMMARY_KEYS) ?? FILL_SUMMARY_KEYS;
    const [fills, summary] = [
      await queries.run('analytics_fills', q),
      await queries.run('analytics_fills', q.summary(by)),
    ];
    const data = fills.rows.map(fillJson);
    return jsonResponse(c, {
      data,
      count: data.length,
      truncated: fills.truncated,
      summary: summary.rows.map(summaryJson),
    });
  });

  app.get('/api/v1/analytics/twap', async (c) => {
    const p = params(c, ['name', 'interval', 'groupBy', 'symbol', ...RANGE_PARAMS], { labels: true });
    if (p.string('from') === undefined || p.string('to') === undefined) {
      throw new ValidationError('from', 'a time-weighted average needs from and to');
    }
    let q = ranged(timeWeighted(p.required('name')), p)
      .groupBy(grouping(p.string('groupBy')))
      .maxBuckets(maxBuckets);
    const interval = p.string('interval');
    const symbol = p.string('symbol');
    if (interval !== undefined) q = q.interval(interval);
    if (symbol !== undefined) q = q.symbol(symbol);
    for (const [key, value] of Object.entries(p.labels)) q = q.label(key, value);
    return list(c, await queries.run('analytics_twap', q), (r) => ({
      bucket: r.bucket,
      group: r.group,
      twa: r.twa,
      integral: r.integral,
      coveredSeconds: r.covered_seconds,
      samples: r.samples,
    }));
  });
}

/** A fill with its analysis as the API returns it (trade fields as in `/api/v1/trades`). */
function fillJson(r: FillAnalysisRow) {
  return {
    ...tradeJson(r),
    notional: r.notional,
    arrivalMid: r.arrival_mid,
    arrivalTimestamp: r.arrival_ts,
    slippageBps: r.slippage_bps,
    feeBps: r.fee_bps,
    costBps: r.cost_bps,
    latency: r.latency,
    midAfter: r.mid_after,
    markoutBps: r.markout_bps,
    netMarkoutBps: r.net_markout_bps,
  };
}

/** A summary group as the API returns it. */
function summaryJson(r: FillSummaryRow) {
  return {
    strategy: r.strategy,
    symbol: r.symbol,
    venue: r.venue,
    fills: r.fills,
    priced: r.priced,
    notional: r.notional,
    fees: r.fees,
    slippageBps: r.slippage_bps,
    costBps: r.cost_bps,
    markouts: r.markouts.map((m) => ({
      horizon: m.horizon,
      samples: m.samples,
      avg: m.avg,
      p10: m.p10,
      p50: m.p50,
      p90: m.p90,
      netAvg: m.net_avg,
      negativeShare: m.negative_share,
    })),
  };
}
