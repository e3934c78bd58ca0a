import { coldTierOf, SEVERITIES, selectEvents, tableStatistics } from '@duckside/core';
import { jsonResponse } from '../../http/json-response.ts';
import { list, params, type QueryEndpointDeps, RANGE_PARAMS, ranged } from './endpoint-helpers.ts';
import { eventJson } from './row-formats.ts';

/**
 * `GET /api/v1/events` (minimum severity, source, text) and `GET /api/v1/stats` (tables, pool, writer, file size,
 * bytes per tier and the cold tier's files, query slots).
 * @example registerSystemEndpoints({ app, db, queries, maxBuckets });
 */
export function registerSystemEndpoints({ app, db, queries }: QueryEndpointDeps): void {
  app.get('/api/v1/events', async (c) => {
    const p = params(c, ['severity', 'source', 'text', ...RANGE_PARAMS]);
    let q = ranged(selectEvents(), p);
    const severity = p.choice('severity', SEVERITIES);
    const source = p.string('source');
    const text = p.string('text');
    if (severity !== undefined) q = q.minSeverity(severity);
    if (source !== undefined) q = q.source(source);
    if (text !== undefined) q = q.text(text);
    return list(c, await queries.run('events', q), eventJson);
  });

  app.get('/api/v1/stats', async (c) => {
    params(c, []);
    const { rows } = await queries.run('stats', tableStatistics());
    return jsonResponse(c, {
      tables: rows,
      pool: db.poolStats(),
      writer: db.writerStats(),
      fileSizeBytes: db.fileSizeBytes(),
      tiers: { hot: { bytes: db.fileSizeBytes() }, cold: (await coldTierOf(db)?.stats()) ?? null },
      queries: queries.slots,
    });
  });
}
