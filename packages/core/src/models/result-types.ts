/** Trading performance for one group (strategy and/or symbol), from `performanceSummary`. */
export interface PerformanceSummary {
  strategy: string | null;
  symbol: string | null;
  trades: number;
  buyQuantity: number;
  sellQuantity: number;
  volume: number;
  notional: number;
  fees: number;
  /** Realized P&L: proceeds of sells minus cost of buys for the matched quantity, at average prices, minus fees. */
  realizedPnl: number;
  /** Share of sells above the running average buy price, 0..1 (null without sells). */
  winRate: number | null;
  firstTrade: Date;
  lastTrade: Date;
}

/** Size and time span of one table, from `tableStats`. */
export interface TableStats {
  table: string;
  rows: number;
  oldest: Date | null;
  newest: Date | null;
  /** Estimated bytes on disk from DuckDB's storage info. */
  estimatedBytes: number;
}

/** One bucket of an aggregated metric series. */
export interface AggregatedMetric {
  bucket: Date;
  /** The group (symbol or label value) or null when ungrouped. */
  group: string | null;
  value: number | null;
  samples: number;
}
