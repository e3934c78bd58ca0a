import type { Context } from 'hono';
import { ApiParams } from './api-params.ts';
import { PrometheusApiError } from './api-reply.ts';
import type { MetricFamilyMetadata, MetricMetadataStore } from './metric-metadata.ts';

/**
 * The `data` of `/api/v1/metadata` (`metric`, `limit`) as Prometheus 2.42 answers it: family name to a list of
 * `{type, help, unit}`, here from the metadata remote_write senders sent (`{}` before any did).
 * @example deps.route('/metadata', async (c) => apiSuccess(c, await metadataReply(c, store, 1 << 20)));
 */
export async function metadataReply(
  c: Context,
  store: MetricMetadataStore,
  maxBodyBytes: number,
): Promise<Record<string, MetricFamilyMetadata[]>> {
  const p = await ApiParams.read(c, maxBodyBytes);
  const limitText = p.get('limit');
  const limit = limitText === undefined || limitText === '' ? -1 : Number(limitText);
  if (!Number.isInteger(limit)) throw new PrometheusApiError('bad_data', 'limit must be a number');
  const metric = p.get('metric') ?? '';
  const data: Record<string, MetricFamilyMetadata[]> = {};
  let n = 0;
  for (const [family, meta] of store.list()) {
    if (limit >= 0 && n >= limit) break;
    if (metric !== '' && family !== metric) continue;
    data[family] = [{ ...meta }];
    n++;
  }
  return data;
}
