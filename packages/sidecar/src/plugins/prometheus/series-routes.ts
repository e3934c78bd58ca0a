import {
  ALL_SERIES_SELECTOR,
  compareLabels,
  type Labels,
  labelValues,
  MAX_SERIES_TIME_MS,
  seriesLabelSets,
} from '@duckside/promql';
import type { Context } from 'hono';
import { ApiParams } from './api-params.ts';
import { apiSuccess, PrometheusApiError } from './api-reply.ts';
import type { PrometheusRouteDeps } from './route-deps.ts';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * `/api/v1/series` (`match[]` required), `/api/v1/labels` and `/api/v1/label/<name>/values` (`match[]`
 * optional), each with `start`/`end`: the label sets of the series with samples in the range, as Prometheus.
 * Series are matched on the plugin's in-memory catalog (see `SeriesCatalog`).
 * @example registerSeriesRoutes({ route, runner, queries, catalog, maxBodyBytes });
 */
export function registerSeriesRoutes({ route, runner, catalog, maxBodyBytes }: PrometheusRouteDeps): void {
  const labelSets = async (c: Context, matchRequired: boolean): Promise<Labels[]> => {
    const p = await ApiParams.read(c, maxBodyBytes);
    const matches = p.all('match[]');
    if (matches.length === 0 && matchRequired)
      throw new PrometheusApiError('bad_data', 'no match[] parameter provided');
    const start = p.time('start', 0);
    const end = p.time('end', MAX_SERIES_TIME_MS);
    const selectors = matches.length > 0 ? matches : [ALL_SERIES_SELECTOR];
    return seriesLabelSets(runner('prometheus.series'), selectors, start, end, { catalog });
  };

  route('/series', async (c) => apiSuccess(c, (await labelSets(c, true)).sort(compareLabels)));
  route('/labels', async (c) => {
    const names = new Set<string>();
    for (const labels of await labelSets(c, false)) for (const name of Object.keys(labels)) names.add(name);
    return apiSuccess(c, [...names].sort());
  });
  route('/label/:name/values', async (c) => {
    const name = c.req.param('name') ?? '';
    if (!LABEL_NAME.test(name)) throw new PrometheusApiError('bad_data', `invalid label name: "${name}"`);
    const p = await ApiParams.read(c, maxBodyBytes);
    const values = await labelValues(
      runner('prometheus.series'),
      name,
      p.all('match[]'),
      p.time('start', 0),
      p.time('end', MAX_SERIES_TIME_MS),
      { catalog },
    );
    return apiSuccess(c, values.sort());
  });
}
