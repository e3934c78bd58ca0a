export {
  type CompiledPromql,
  compilePromql,
  DEFAULT_LOOKBACK_MS,
  DEFAULT_SUBQUERY_STEP_MS,
  type PromqlQueryOptions,
  type PromqlRow,
} from './compile/compile-promql.ts';
export {
  ALL_SERIES_SELECTOR,
  compileSeriesSelect,
  MAX_SERIES_TIME_MS,
  type SeriesLabelsRow,
  type SeriesSelectOptions,
  seriesSelectors,
} from './compile/compile-series.ts';
export type { Grid } from './compile/plan.ts';
export type { PointTables } from './compile/point-tables.ts';
export {
  compareLabels,
  defaultCatalog,
  evaluatePromql,
} from './evaluate/evaluate-promql.ts';
export { labelValues } from './evaluate/label-values.ts';
export type { PromqlRunner } from './evaluate/promql-runner.ts';
export {
  formatSampleTime,
  formatSampleValue,
  type Labels,
  type MatrixSeries,
  type PrometheusData,
  type PromqlResult,
  toPrometheusData,
  type VectorSample,
} from './evaluate/result.ts';
export { type CatalogSeries, type CatalogSnapshot, SeriesCatalog } from './evaluate/series-catalog.ts';
export { seriesLabelSets } from './evaluate/series-label-sets.ts';
export type { AtModifier, BinaryOp, Expr, Matcher, VectorMatching } from './language/ast.ts';
export { parseDuration } from './language/duration.ts';
export {
  PromqlError,
  type PromqlErrorCode,
  PromqlExecutionError,
  PromqlParseError,
  UnsupportedPromqlError,
} from './language/errors.ts';
export { parsePromql } from './language/parse.ts';
export {
  type OtlpMetricShape,
  PER_UNIT_WORDS,
  prometheusMetricName,
  sanitizeLabelName,
  sanitizeMetricName,
  UNIT_WORDS,
  unitSuffix,
} from './sql/name-mapping.ts';
