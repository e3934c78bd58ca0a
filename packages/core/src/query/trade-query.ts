import { columnList } from '../catalog/column.ts';
import { TRADING_TRADES } from '../catalog/trading-tables.ts';
import { ValidationError } from '../errors/errors.ts';
import { checkText, WhereClause } from './builder-base.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { RangedBuilder, type RangedState } from './ranged-builder.ts';
import { addTimeRange } from './time-range-clause.ts';

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

interface State extends RangedState {
  symbol?: string;
  venue?: string;
  strategy?: string;
  side?: 'buy' | 'sell';
}

/**
 * Selects trades, newest first.
 * @example selectTrades().symbol('ETH/USD').strategy('mm-1').limit(50).compile()
 */
export class TradeQueryBuilder extends RangedBuilder<State> {
  /** Only this symbol. */
  symbol(symbol: string): this {
    return this.with({ symbol: checkText('symbol', symbol) });
  }
  /** Only this venue. */
  venue(venue: string): this {
    return this.with({ venue: checkText('venue', venue) });
  }
  /** Only this strategy. */
  strategy(strategy: string): this {
    return this.with({ strategy: checkText('strategy', strategy) });
  }
  /** Only buys or sells. */
  side(side: 'buy' | 'sell'): this {
    if (side !== 'buy' && side !== 'sell') throw new ValidationError('side', 'must be buy or sell');
    return this.with({ side });
  }
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<TradeRow> {
    const s = this.state;
    const where = new WhereClause();
    if (s.symbol !== undefined) where.add('symbol = ?', s.symbol);
    if (s.venue !== undefined) where.add('venue = ?', s.venue);
    if (s.strategy !== undefined) where.add('strategy = ?', s.strategy);
    if (s.side !== undefined) where.add('side = ?', s.side);
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
