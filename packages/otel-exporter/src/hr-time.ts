import type { SplitNanos } from '@duckside/core/ingest';

/** An OpenTelemetry high-resolution time: `[seconds, nanoseconds]` since the unix epoch. */
export type HrTime = readonly [number, number];

/**
 * Splits an `HrTime` into whole unix microseconds and the 0..999 nanosecond remainder (core's time layout),
 * exactly and without BigInt. Both parts are truncated to integers, as the OTLP serializers do.
 * @example hrTimeToSplit([1, 2_500]) // { micros: 1_000_002, nanos: 500 }
 */
export function hrTimeToSplit(time: HrTime, out: SplitNanos = { micros: 0, nanos: 0 }): SplitNanos {
  const seconds = Math.trunc(time[0]);
  const nanos = Math.trunc(time[1]);
  const micros = Math.floor(nanos / 1000);
  out.micros = seconds * 1_000_000 + micros;
  out.nanos = nanos - micros * 1000;
  return out;
}

/**
 * Unix nanoseconds of an `HrTime` as a bigint.
 * @example hrTimeToNanos([1, 5]) // 1_000_000_005n
 */
export function hrTimeToNanos(time: HrTime): bigint {
  return BigInt(Math.trunc(time[0])) * 1_000_000_000n + BigInt(Math.trunc(time[1]));
}
