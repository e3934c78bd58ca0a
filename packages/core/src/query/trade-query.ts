import { columnList } from '../catalog/column.ts';
import { TRADING_TRADES } from '../catalog/trading-tables.ts';
import type { TimestampInput } from '../time.ts';
import { checkText, WhereClause } from './builder-base.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { RangedBuilder } from './ranged-builder.ts';
import { addTimeRange } from './time-range.ts';

/** Every column of a stored trade, in table order. */
const TRADE_COLUMNS = columnList(TRADING_TRADES.columns);

/** A trade row. */
export interface TradeRow {
  ts: Date;
  symbol: string;
  venue: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  fee: number;
  order_id: string | null;
  trade_id: string | null;
  strategy: string | null;
}

interface State {
  symbol?: string;
  venue?: string;
  strategy?: string;
  side?: 'buy' | 'sell';
  from?: TimestampInput;
  to?: TimestampInput;
  limit: number;
}

/**
 * Selects trades, newest first.
 * @example selectTrades().symbol('ETH/USD').strategy('mm-1').limit(50).compile()
 */
export class TradeQueryBuilder extends RangedBuilder<State> {
  /** Only this symbol. */
  symbol(symbol: string): this {
    return this.with({ symbol });
  }
  /** Only this venue. */
  venue(venue: string): this {
    return this.with({ venue });
  }
  /** Only this strategy. */
  strategy(strategy: string): this {
    return this.with({ strategy });
  }
  /** Only buys or sells. */
  side(side: 'buy' | 'sell'): this {
    return this.with({ side });
  }
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<TradeRow> {
    const s = this.state;
    const where = new WhereClause();
    if (s.symbol !== undefined) where.add('symbol = ?', checkText('symbol', s.symbol));
    if (s.venue !== undefined) where.add('venue = ?', checkText('venue', s.venue));
    if (s.strategy !== undefined) where.add('strategy = ?', checkText('strategy', s.strategy));
    if (s.side !== undefined) where.add('side = ?', s.side === 'sell' ? 'sell' : 'buy');
    addTimeRange(where, s);
    return compiled(
      `SELECT ${TRADE_COLUMNS} FROM ${TRADING_TRADES.name}${where.toSql()} ORDER BY ts DESC LIMIT ?`,
      [...where.params, s.limit],
    );
  }
}

/** Starts a trade selection (1000 rows by default). */
export function selectTrades(): TradeQueryBuilder {
  return new TradeQueryBuilder({ limit: 1000 });
}
