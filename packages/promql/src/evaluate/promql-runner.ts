import type { CompiledQuery, QueryOptions, QueryResult } from '@duckside/core';

/** What runs compiled SQL against core: a `Database` (its `query` method) or anything shaped like it. */
export interface PromqlRunner {
  query<R>(query: CompiledQuery<R>, options?: QueryOptions): Promise<QueryResult<R>>;
}
