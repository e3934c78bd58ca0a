import type { CompiledQuery, Database, QueryResult, RollupPlan } from '@duckside/core';
import type { Semaphore } from './http/semaphore.ts';
import type { Histogram, PluginQueries } from './plugin-api/plugin.ts';

/** Limits every plugin query runs under. */
export interface QueryLimits {
  /** Interrupt a query after this long (504). */
  timeoutMs: number;
  /** Return at most this many rows (`truncated: true` when more existed). */
  maxRows: number;
}

/**
 * The plugins' {@link PluginQueries}: compiled first (bad input fails before taking a slot), then under the
 * concurrency gate, the time limit and the row cap, recording latency per endpoint and outcome.
 * @example const { rows, truncated } = await runner.run('trades', selectTrades().limit(10));
 */
export class QueryRunner implements PluginQueries {
  constructor(
    private readonly database: Database,
    private readonly gate: Semaphore,
    private readonly limits: QueryLimits,
    private readonly latency: Histogram,
  ) {}

  get slots(): PluginQueries['slots'] {
    return { running: this.gate.active, waiting: this.gate.waiting, limit: this.gate.limit };
  }

  async run<R>(
    endpoint: string,
    query: { compile(plan?: RollupPlan): CompiledQuery<R> } | CompiledQuery<R>,
    options: { timeoutMs?: number } = {},
  ): Promise<QueryResult<R>> {
    // Builders that can answer from rollups choose the level here (the result names its `source`).
    const compiled = 'compile' in query ? query.compile(this.database.rollupPlan) : query;
    const timeoutMs = Math.min(this.limits.timeoutMs, options.timeoutMs ?? Number.POSITIVE_INFINITY);
    const release = await this.gate.acquire(timeoutMs);
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await this.database.query(compiled, {
        timeoutMs,
        maxRows: this.limits.maxRows,
        kind: endpoint,
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      outcome = typeof code === 'string' ? code : 'error';
      throw error;
    } finally {
      release();
      this.latency.observe((performance.now() - started) / 1000, { endpoint, outcome });
    }
  }
}
