export type { AtModifier, BinaryOp, Expr, Matcher, VectorMatching } from './ast.ts';
export type { Grid } from './compile/plan.ts';
export type { PointTables } from './compile/samples.ts';
export {
  type CompiledPromql,
  compilePromql,
  DEFAULT_LOOKBACK_MS,
  DEFAULT_SUBQUERY_STEP_MS,
  type PromqlQueryOptions,
  type PromqlRow,
} from './compile-promql.ts';
export {
  ALL_SERIES_SELECTOR,
  compileSeriesSelect,
  MAX_SERIES_TIME_MS,
  type SeriesLabelsRow,
  type SeriesSelectOptions,
  seriesSelectors,
} from './compile-series.ts';
export { parseDuration } from './duration.ts';
export {
  PromqlError,
  type PromqlErrorCode,
  PromqlExecutionError,
  PromqlParseError,
  UnsupportedPromqlError,
} from './errors.ts';
export { compareLabels, defaultCatalog, evaluatePromql, type PromqlRunner } from './evaluate-promql.ts';
export { labelValues } from './label-values.ts';
export {
  type OtlpMetricShape,
  PER_UNIT_WORDS,
  prometheusMetricName,
  sanitizeLabelName,
  sanitizeMetricName,
  UNIT_WORDS,
  unitSuffix,
} from './name-mapping.ts';
export { parsePromql } from './parse.ts';
export {
  formatSampleTime,
  formatSampleValue,
  type Labels,
  type MatrixSeries,
  type PrometheusData,
  type PromqlResult,
  toPrometheusData,
  type VectorSample,
} from './result.ts';
export { type CatalogSeries, type CatalogSnapshot, SeriesCatalog } from './series-catalog.ts';
export { seriesLabelSets } from './series-label-sets.ts';
