export { AsofJoinBuilder, asofJoin } from './asof-join.ts';
export type {
  AsofLeft,
  AsofLeftRows,
  AsofMetricRow,
  AsofRight,
  AsofRightRows,
  LabelFilter,
} from './asof-sources.ts';
export { type Duration, parseDuration, parseDurations } from './duration.ts';
