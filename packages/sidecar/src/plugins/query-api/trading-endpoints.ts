import {
  candles,
  FillableCandleBuilder,
  performanceSummary,
  selectTrades,
  ValidationError,
} from '@duckside/core';
import { list, params, type QueryEndpointDeps, RANGE_PARAMS, ranged } from './endpoint-helpers.ts';
import { candleJson, tradeJson } from './row-formats.ts';

const CANDLE_SOURCES = ['stored', 'trades', 'metric'] as const;

/**
 * `GET /api/v1/candles` (stored, or built from trades or from a price metric), `GET /api/v1/trades` and
 * `GET /api/v1/performance` (per strategy and/or symbol).
 * @example registerTradingEndpoints({ app, queries, maxBuckets: 100_000 });
 */
export function registerTradingEndpoints({ app, queries, maxBuckets }: QueryEndpointDeps): void {
  app.get('/api/v1/candles', async (c) => {
    const p = params(c, ['symbol', 'venue', 'interval', 'source', 'metric', 'fill', ...RANGE_PARAMS]);
    let q = ranged(candles(p.string('symbol')), p).maxBuckets(maxBuckets);
    const venue = p.string('venue');
    const interval = p.string('interval');
    const source = p.choice('source', CANDLE_SOURCES) ?? 'stored';
    const metric = p.string('metric');
    if (venue !== undefined) q = q.venue(venue);
    if (interval !== undefined) q = q.interval(interval);
    if (source === 'trades') q = q.fromTrades();
    if (source === 'metric') q = q.fromMetric(p.required('metric'));
    else if (metric !== undefined) throw new ValidationError('metric', 'is only allowed with source=metric');
    const fill = p.string('fill');
    if (fill !== undefined) {
      return list(c, await queries.run('candles', FillableCandleBuilder.of(q).fill(fill)), candleJson);
    }
    return list(c, await queries.run('candles', q), candleJson);
  });

  app.get('/api/v1/trades', async (c) => {
    const p = params(c, ['symbol', 'venue', 'strategy', 'side', ...RANGE_PARAMS]);
    let q = ranged(selectTrades(), p);
    const symbol = p.string('symbol');
    const venue = p.string('venue');
    const strategy = p.string('strategy');
    const side = p.choice('side', ['buy', 'sell'] as const);
    if (symbol !== undefined) q = q.symbol(symbol);
    if (venue !== undefined) q = q.venue(venue);
    if (strategy !== undefined) q = q.strategy(strategy);
    if (side !== undefined) q = q.side(side);
    return list(c, await queries.run('trades', q), tradeJson);
  });

  app.get('/api/v1/performance', async (c) => {
    const p = params(c, ['groupBy', 'strategy', 'symbol', 'from', 'to']);
    const by = p.list('groupBy', ['strategy', 'symbol'] as const) ?? ['strategy'];
    let q = performanceSummary().groupBy({
      strategy: by.includes('strategy'),
      symbol: by.includes('symbol'),
    });
    const strategy = p.string('strategy');
    const symbol = p.string('symbol');
    const from = p.string('from');
    const to = p.string('to');
    if (strategy !== undefined) q = q.strategy(strategy);
    if (symbol !== undefined) q = q.symbol(symbol);
    if (from !== undefined || to !== undefined) q = q.between(from, to);
    return list(c, await queries.run('performance', q), (r) => r);
  });
}
