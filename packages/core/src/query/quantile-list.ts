import { ValidationError } from '../errors/errors.ts';

/**
 * Checks a list of quantiles (non-empty, each in [0, 1]) and returns a copy.
 * @example checkQuantiles([0.5, 0.99]) // [0.5, 0.99]
 * @throws ValidationError (field `quantiles`) otherwise.
 */
export function checkQuantiles(quantiles: readonly number[]): number[] {
  if (quantiles.length === 0 || quantiles.some((q) => !(q >= 0 && q <= 1))) {
    throw new ValidationError('quantiles', 'each quantile must be between 0 and 1');
  }
  return [...quantiles];
}

/** `?::DOUBLE, ?::DOUBLE, ...`: one bound placeholder per quantile, for a SQL list literal. */
export function quantilePlaceholders(quantiles: readonly number[]): string {
  return quantiles.map(() => '?::DOUBLE').join(', ');
}
