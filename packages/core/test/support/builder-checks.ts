import { expect } from 'vitest';
import {
  type BucketedMetricBuilder,
  type CompiledQuery,
  type Database,
  ValidationError,
} from '../../src/index.ts';
import type { BucketedMetricState } from '../../src/query/bucketed-metric-builder.ts';
import { errorOf } from './error-of.ts';

interface Compilable {
  compile(): CompiledQuery<unknown>;
}

/**
 * Checks a compiled query is frozen (SQL and params) and binds exactly one parameter per `?`.
 * @example expectFrozenQuery(selectMetrics().name('x').compile());
 */
export function expectFrozenQuery(query: CompiledQuery<unknown>): void {
  expect(Object.isFrozen(query)).toBe(true);
  expect(Object.isFrozen(query.params)).toBe(true);
  expect(query.sql.split('?').length - 1).toBe(query.params.length);
  expect(() => {
    (query.params as unknown[]).push(1);
  }).toThrow(TypeError);
}

/**
 * Checks that each setter returns a new builder and leaves the original's compiled query unchanged.
 * @example expectImmutable(selectMetrics(), [(b) => b.name('x'), (b) => b.limit(5)]);
 */
export function expectImmutable<B extends Compilable>(builder: B, changes: ((b: B) => B)[]): void {
  const before = builder.compile();
  expectFrozenQuery(before);
  for (const change of changes) {
    const changed = change(builder);
    expect(changed).not.toBe(builder);
    const after = changed.compile();
    expectFrozenQuery(after);
    expect(after).not.toEqual(before);
    expect(builder.compile()).toEqual(before);
  }
}

/**
 * {@link expectImmutable} for a time-bucketed metric builder: `extra` changes, then the setters every such builder
 * shares (interval, grouping, symbol, range, label, limit).
 * @example expectBucketedImmutable(histogramQuantiles('x'), T0, [(b) => b.quantiles([0.5])]);
 */
export function expectBucketedImmutable<B extends BucketedMetricBuilder<BucketedMetricState> & Compilable>(
  builder: B,
  fromMs: number,
  extra: ((b: B) => B)[] = [],
): void {
  expectImmutable(builder, [
    ...extra,
    (b) => b.interval('5m'),
    (b) => b.groupBy({ by: 'symbol' }),
    (b) => b.symbol('BTC/USD'),
    (b) => b.between(fromMs, fromMs + 60_000),
    (b) => b.label('symbol', 'BTC/USD'),
    (b) => b.limit(1),
  ]);
}

/**
 * Checks a quantile setter refuses an empty list, a quantile above 1 and NaN, naming the field `quantiles`.
 * @example await expectQuantileChecks((q) => histogramQuantiles('x').quantiles(q));
 */
export async function expectQuantileChecks(setQuantiles: (quantiles: number[]) => unknown): Promise<void> {
  for (const quantiles of [[], [1.5], [Number.NaN]]) {
    expect((await errorOf(ValidationError, () => setQuantiles(quantiles))).field).toBe('quantiles');
  }
}

/**
 * Checks a bucketed metric query over `name` answers the same rows for `label('symbol', s)` as for `symbol(s)`
 * (and some rows), and that a day of 1-second buckets is refused past `maxBuckets(100)`, naming `interval`.
 * @example await expectLabelLikeSymbol(db, histogramQuantiles, 'order_latency', 'ETH/USD');
 */
export async function expectLabelLikeSymbol<
  B extends BucketedMetricBuilder<BucketedMetricState> & Compilable,
>(db: Database, start: (name: string) => B, name: string, symbol: string): Promise<void> {
  const byLabel = await db.execute(start(name).label('symbol', symbol).compile());
  const bySymbol = await db.execute(start(name).symbol(symbol).compile());
  expect(byLabel.rows.length).toBeGreaterThan(0);
  expect(byLabel.rows).toEqual(bySymbol.rows);
  const tooMany = start(name).interval('1s').between(0, 86_400_000).maxBuckets(100);
  expect((await errorOf(ValidationError, () => tooMany.compile())).field).toBe('interval');
}
