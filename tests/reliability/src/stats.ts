/**
 * The `q` quantile (0..1) of `values` by nearest rank; 0 for an empty list.
 * @example quantile([1, 2, 3, 4], 0.5); // 2
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Milliseconds with one decimal, e.g. `12.3 ms`. */
export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/** Bytes as MiB with one decimal, e.g. `12.5 MiB`. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Resolves after `msToWait` milliseconds. */
export function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}
