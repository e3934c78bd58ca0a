export { joinNanos, type SplitNanos, splitNanos, splitNanoWords } from './split-nanos.ts';
export { nanosToDate, nanosToIso, nanosToSqlTimestamp, nowNanos, sqlTimestamp } from './time-format.ts';
export { TimeInterval } from './time-interval.ts';
export { parseTimeRange, type TimeRange } from './time-range.ts';
export { MAX_NANOS, parseTimestamp, type TimestampInput } from './timestamp.ts';
export { ACCEPTED_TIME_FORMS } from './timestamp-text.ts';
