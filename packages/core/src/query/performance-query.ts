import type { PerformanceSummary } from '../models/result-types.ts';
import type { TimeRange } from '../time/index.ts';
import { checkText, WhereClause } from './builder-base.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { TimeRangedBuilder } from './ranged-builder.ts';
import { addTimeRange } from './time-range-clause.ts';

interface State extends TimeRange {
  byStrategy: boolean;
  bySymbol: boolean;
  strategy?: string;
  symbol?: string;
}

/**
 * Trading performance per strategy and/or symbol: trades, volume, notional, fees, realized P&L and win rate.
 * Realized P&L uses average prices: matched quantity = min(bought, sold), P&L = matched x (avg sell - avg buy) - fees.
 * Win rate is the share of sells priced above the group's average buy price.
 * @example performanceSummary().groupBy({ strategy: true, symbol: true }).compile()
 */
export class PerformanceQueryBuilder extends TimeRangedBuilder<State> {
  /** Which dimensions to group by (at least one is used; strategy by default). */
  groupBy(by: { strategy?: boolean; symbol?: boolean }): this {
    return this.with({ byStrategy: by.strategy ?? false, bySymbol: by.symbol ?? false });
  }
  /** Only this strategy. */
  strategy(strategy: string): this {
    return this.with({ strategy: checkText('strategy', strategy) });
  }
  /** Only this symbol. */
  symbol(symbol: string): this {
    return this.with({ symbol: checkText('symbol', symbol) });
  }
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<PerformanceSummary> {
    const s = this.state;
    const where = new WhereClause();
    if (s.strategy !== undefined) where.add('strategy = ?', s.strategy);
    if (s.symbol !== undefined) where.add('symbol = ?', s.symbol);
    addTimeRange(where, s);
    const strategy = s.byStrategy || !s.bySymbol ? 'strategy' : 'NULL::VARCHAR';
    const symbol = s.bySymbol ? 'symbol' : 'NULL::VARCHAR';
    return compiled(
      `WITH t AS (
  SELECT ${strategy} AS strategy, ${symbol} AS symbol, side, quantity, price, fee, ts FROM trading_trades${where.toSql()}),
g AS (
  SELECT strategy, symbol, count(*) AS trades,
    coalesce(sum(quantity) FILTER (WHERE side = 'buy'), 0) AS buy_qty,
    coalesce(sum(quantity) FILTER (WHERE side = 'sell'), 0) AS sell_qty,
    sum(quantity * price) FILTER (WHERE side = 'buy') / nullif(sum(quantity) FILTER (WHERE side = 'buy'), 0) AS avg_buy,
    sum(quantity * price) FILTER (WHERE side = 'sell') / nullif(sum(quantity) FILTER (WHERE side = 'sell'), 0) AS avg_sell,
    sum(quantity) AS volume, sum(quantity * price) AS notional, sum(fee) AS fees,
    min(ts) AS first_trade, max(ts) AS last_trade
  FROM t GROUP BY ALL),
w AS (
  SELECT t.strategy, t.symbol,
    avg(CASE WHEN t.price > g.avg_buy THEN 1.0 ELSE 0.0 END) FILTER (WHERE t.side = 'sell' AND g.avg_buy IS NOT NULL) AS win_rate
  FROM t JOIN g ON t.strategy IS NOT DISTINCT FROM g.strategy AND t.symbol IS NOT DISTINCT FROM g.symbol
  GROUP BY ALL)
SELECT g.strategy, g.symbol, g.trades, g.buy_qty AS "buyQuantity", g.sell_qty AS "sellQuantity", g.volume, g.notional, g.fees,
  coalesce(least(g.buy_qty, g.sell_qty) * (g.avg_sell - g.avg_buy), 0) - g.fees AS "realizedPnl",
  w.win_rate AS "winRate", g.first_trade AS "firstTrade", g.last_trade AS "lastTrade"
FROM g LEFT JOIN w ON g.strategy IS NOT DISTINCT FROM w.strategy AND g.symbol IS NOT DISTINCT FROM w.symbol
ORDER BY g.strategy NULLS LAST, g.symbol NULLS LAST`,
      where.params,
    );
  }
}

/** Starts a performance summary grouped by strategy. */
export function performanceSummary(): PerformanceQueryBuilder {
  return new PerformanceQueryBuilder({ byStrategy: true, bySymbol: false });
}
