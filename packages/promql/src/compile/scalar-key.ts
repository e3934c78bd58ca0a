/**
 * One Prometheus series of `metric_points`: a stored series in one point shape (core's kind code 1 gauge or
 * 2 sum, and whether it is monotonic), which decides the `_total`/`_ratio` suffix of its name.
 */
export interface ScalarKey {
  /** `metric_series.series_id` in decimal. */
  readonly id: string;
  readonly kind: 1 | 2;
  readonly monotonic: boolean;
  /** Every label, `__name__` included, sorted by name (no empty values). */
  readonly labels: readonly (readonly [string, string])[];
}
