/** One estimated quantile of a histogram metric in one time bucket. */
export interface HistogramQuantileRow {
  bucket: Date;
  group: string | null;
  quantile: number;
  value: number | null;
  count: number;
}
