import { CATALOG_TABLES, CATALOG_VIEWS } from '../catalog/catalog-tables.ts';

/** Most SQL texts whose summary is remembered (queries are few distinct texts; a flood of unique ones resets it). */
const MAX_CACHED = 1_000;

const KNOWN_NAMES = [...CATALOG_TABLES.map((t) => t.name), ...CATALOG_VIEWS.map((v) => v.name)];
const NAME_PATTERN = new RegExp(`\\b(${KNOWN_NAMES.join('|')})\\b`, 'g');
const OPERATION =
  /^(SELECT|INSERT|UPDATE|DELETE|COPY|CREATE|DROP|ALTER|PRAGMA|CHECKPOINT|SUMMARIZE|DESCRIBE|EXPLAIN)$/i;

const cache = new Map<string, QuerySummary>();

/** The low-cardinality description of a query the database semantic conventions ask for. */
export interface QuerySummary {
  /** `db.operation.name`, e.g. `SELECT`. */
  readonly operation: string;
  /** `db.query.summary`, e.g. `SELECT trading_metrics metric_series`: the operation and the catalog tables read. */
  readonly summary: string;
}

/**
 * Summarises a SQL text without its literals or parameters: the first statement keyword outside parentheses, and the catalog tables and views it names, in order of first mention.
 * @example summarizeQuery('SELECT * FROM trading_metrics WHERE name = ?').summary // 'SELECT trading_metrics'
 */
export function summarizeQuery(sql: string): QuerySummary {
  const hit = cache.get(sql);
  if (hit) return hit;
  const operation = topLevelOperation(sql);
  const tables = [...new Set(Array.from(sql.matchAll(NAME_PATTERN), (m) => m[1] as string))];
  const summary = Object.freeze({ operation, summary: [operation, ...tables].join(' ') });
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(sql, summary);
  return summary;
}

/** The first statement keyword outside parentheses (so a `WITH` query's is its main statement's). */
function topLevelOperation(sql: string): string {
  let depth = 0;
  for (const [token] of sql.matchAll(/[()]|[A-Za-z_]+/g)) {
    if (token === '(') depth++;
    else if (token === ')') depth--;
    else if (depth === 0 && OPERATION.test(token)) return token.toUpperCase();
  }
  return 'QUERY';
}
