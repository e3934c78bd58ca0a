/**
 * Sizes of the scenarios: the quick variant runs in CI, the long one with `RELIABILITY_LONG=1`
 * (`RELIABILITY_FUZZ_BODIES=n` and `RELIABILITY_OVERLOAD_MS=ms` override those sizes, for local runs).
 */
export interface Scale {
  readonly long: boolean;
  /** SIGKILLs during ingest. */
  readonly kills: number;
  /** Fuzzed request bodies. */
  readonly fuzzBodies: number;
  /** Duration of the overload phase in milliseconds. */
  readonly overloadMs: number;
}

/**
 * The scale of this run, read from `RELIABILITY_LONG`.
 * @example const { kills } = scale();
 */
export function scale(env: NodeJS.ProcessEnv = process.env): Scale {
  const long = env.RELIABILITY_LONG === '1';
  return {
    long,
    kills: long ? 20 : 5,
    fuzzBodies: Number(env.RELIABILITY_FUZZ_BODIES) || (long ? 1_000_000 : 100_000),
    overloadMs: Number(env.RELIABILITY_OVERLOAD_MS) || (long ? 300_000 : 60_000),
  };
}
