export type { BucketedMetricBuilder } from './bucketed-metric-builder.ts';
export { sqlTimestamp } from './builder-base.ts';
export { type CandleQueryBuilder, type CandleRow, type CandleSource, candles } from './candle-query.ts';
export {
  DISTRIBUTION_TABLES,
  type DistributionStatsBuilder,
  type DistributionStatsRow,
  type DistributionTable,
  distributionStats,
} from './distribution-stats.ts';
export { type EventQueryBuilder, type EventRow, selectEvents } from './event-query.ts';
export { type ExpHistogramQuantileBuilder, expHistogramQuantiles } from './exp-histogram-quantile.ts';
export {
  type HistogramQuantileBuilder,
  type HistogramQuantileRow,
  histogramQuantiles,
} from './histogram-quantile.ts';
export { deleteOlderThan, tableStatistics } from './maintenance-queries.ts';
export {
  AGGREGATIONS,
  type Aggregation,
  aggregateMetrics,
  type MetricAggregateBuilder,
} from './metric-aggregate.ts';
export type { MetricFilter } from './metric-filter.ts';
export { groupExpression, type MetricGrouping } from './metric-grouping.ts';
export { KIND_VIEWS, type MetricViewKind, metricKindsOf, VIEW_KINDS } from './metric-kinds.ts';
export { type MetricRow, type MetricSelectBuilder, selectMetrics } from './metric-select.ts';
export { type PerformanceQueryBuilder, performanceSummary } from './performance-query.ts';
export { type PointKind, type PointRow, type PointSelectBuilder, selectPoints } from './point-select.ts';
export {
  type RecentMarket,
  type RecentMetricName,
  recentMarkets,
  recentMetricNames,
  recentMetricSymbols,
} from './recent-names.ts';
export {
  type SummaryQuantileBuilder,
  type SummaryQuantileRow,
  summaryQuantiles,
} from './summary-quantile.ts';
export { type TableCount, tableCounts } from './table-counts.ts';
export { checkTable, DATA_TABLES, type DataTable, STORAGE_TABLES } from './tables.ts';
export { selectTrades, type TradeQueryBuilder, type TradeRow } from './trade-query.ts';
