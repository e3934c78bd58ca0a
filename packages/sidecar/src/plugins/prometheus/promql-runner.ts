import type { CompiledQuery, QueryOptions, QueryResult } from '@duckside/core';
import type { PromqlRunner } from '@duckside/promql';
import type { PluginQueries } from '../../plugin-api/plugin.ts';
import { PrometheusApiError } from './api-reply.ts';

/**
 * A {@link PromqlRunner} over the plugin's query gate: the shared time limit (lowered by a request's `timeout`)
 * and row cap. A result that hit the row cap is an `execution` error, never a partial answer.
 * @example await evaluatePromql(promqlRunner(ctx.queries, 'prometheus.query'), 'up', { time }, { timeoutMs });
 */
export function promqlRunner(queries: PluginQueries, endpoint: string): PromqlRunner {
  return {
    async query<R>(query: CompiledQuery<R>, options: QueryOptions = {}): Promise<QueryResult<R>> {
      const result = await queries.run(
        endpoint,
        query,
        options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
      );
      if (result.truncated) {
        throw new PrometheusApiError(
          'execution',
          `the result has more rows than the query row cap (${result.rows.length}); narrow the query`,
        );
      }
      return result;
    },
  };
}
