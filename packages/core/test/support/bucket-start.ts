/** DuckDB's `time_bucket` origin for widths in days or less: Monday 2000-01-03 UTC. */
const ORIGIN_MS = Date.UTC(2000, 0, 3);

/**
 * Start of the fixed-width bucket holding `ms`, as DuckDB's `time_bucket` computes it, for checking results.
 * @example bucketStart(Date.UTC(2024, 0, 1, 0, 7), 5 * 60_000) // Date.UTC(2024, 0, 1, 0, 5)
 */
export function bucketStart(ms: number, widthMs: number): number {
  return ORIGIN_MS + Math.floor((ms - ORIGIN_MS) / widthMs) * widthMs;
}
