import { evaluatePromql, toPrometheusData } from '@duckside/promql';
import type { Context } from 'hono';
import { ApiParams } from './api-params.ts';
import { apiSuccess } from './api-reply.ts';
import type { PrometheusRouteDeps } from './route-deps.ts';

/**
 * `GET|POST /api/v1/query` (`query`, `time`, `timeout`) and `/api/v1/query_range` (`query`, `start`, `end`,
 * `step`, `timeout`): PromQL evaluated in DuckDB, answered as Prometheus' `{resultType, result}`.
 * @example registerQueryRoutes({ route, runner, queries, maxBodyBytes });
 */
export function registerQueryRoutes({ route, runner, catalog, maxBodyBytes }: PrometheusRouteDeps): void {
  route('/query', async (c: Context) => {
    const p = await ApiParams.read(c, maxBodyBytes);
    const query = p.required('query');
    const time = p.time('time', Date.now());
    const timeoutMs = p.duration('timeout');
    const result = await evaluatePromql(
      runner('prometheus.query'),
      query,
      { time, catalog },
      timeoutOption(timeoutMs),
    );
    return apiSuccess(c, toPrometheusData(result));
  });
  route('/query_range', async (c: Context) => {
    const p = await ApiParams.read(c, maxBodyBytes);
    const query = p.required('query');
    p.required('start');
    p.required('end');
    p.required('step');
    const start = p.time('start', 0);
    const end = p.time('end', 0);
    const step = p.duration('step') as number;
    const timeoutMs = p.duration('timeout');
    const result = await evaluatePromql(
      runner('prometheus.query_range'),
      query,
      { start, end, step, catalog },
      timeoutOption(timeoutMs),
    );
    return apiSuccess(c, toPrometheusData(result));
  });
}

const timeoutOption = (timeoutMs: number | undefined) => (timeoutMs === undefined ? {} : { timeoutMs });
