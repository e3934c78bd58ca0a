export { AsofJoinBuilder, asofJoin } from './asof-join.ts';
export type {
  AsofLeft,
  AsofLeftRows,
  AsofMetricRow,
  AsofRight,
  AsofRightRows,
  LabelFilter,
} from './asof-sources.ts';
export { BUCKET_WINDOWS, type BucketWindow } from './bucket-window.ts';
export { type Duration, parseDuration, parseDurations } from './duration.ts';
export {
  FILL_SUMMARY_KEYS,
  type FillAnalysisBuilder,
  type FillAnalysisRow,
  type FillFilter,
  type FillStats,
  type FillSummaryBuilder,
  type FillSummaryKey,
  type FillSummaryRow,
  fillAnalysis,
  type MarkoutSummary,
} from './fill-analysis.ts';
export {
  type CompiledCandleFill,
  FillableCandleBuilder,
  type FilledCandleRow,
  filledCandles,
} from './filled-candles.ts';
export { GAP_FILL_MODES, type GapFill, parseGapFill } from './gap-fill.ts';
export { aggregateSeries, SeriesAggregateBuilder, type SeriesAggregateRow } from './series-aggregate.ts';
export { type TimeWeightedBuilder, type TimeWeightedRow, timeWeighted } from './time-weighted.ts';
