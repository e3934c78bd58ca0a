const TWO_32 = 4294967296;

/** A unix time split into whole microseconds and the 0..999 nanosecond remainder, exact without BigInt. */
export interface SplitNanos {
  micros: number;
  nanos: number;
}

/**
 * Splits a 64-bit unix-nanosecond value given as two 32-bit words (as protobuf fixed64 is read).
 * @example splitNanoWords(0, 1) // { micros: 4294967, nanos: 296 }
 */
export function splitNanoWords(
  low: number,
  high: number,
  out: SplitNanos = { micros: 0, nanos: 0 },
): SplitNanos {
  const highMicros = Math.floor(high / 1000);
  const rest = (high - highMicros * 1000) * TWO_32 + low; // < 1000 * 2^32, exact
  const restMicros = Math.floor(rest / 1000);
  out.micros = highMicros * TWO_32 + restMicros;
  out.nanos = rest - restMicros * 1000;
  return out;
}

/**
 * Splits unix nanoseconds given as a bigint.
 * @example splitNanos(1_500n) // { micros: 1, nanos: 500 }
 */
export function splitNanos(value: bigint, out: SplitNanos = { micros: 0, nanos: 0 }): SplitNanos {
  out.micros = Number(value / 1000n);
  out.nanos = Number(value % 1000n);
  return out;
}

/**
 * Joins micros and the nanosecond remainder back to unix nanoseconds.
 * @example joinNanos(1, 500) // 1500n
 */
export function joinNanos(micros: number, nanos: number): bigint {
  return BigInt(micros) * 1000n + BigInt(nanos);
}
