import { PromqlError } from '@duckside/promql';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorReply } from '../../http/error-reply.ts';
import { jsonResponse } from '../../http/json-response.ts';

/** Prometheus' `errorType`s that Duckside answers. */
export type PrometheusErrorType = 'bad_data' | 'execution' | 'timeout' | 'unavailable' | 'internal';

/** Status code per error type, as Prometheus' `returnAPIError` (web/api/v1/api.go) sets them. */
const STATUS: Readonly<Record<PrometheusErrorType, ContentfulStatusCode>> = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  unavailable: 503,
  internal: 500,
};

/**
 * An error the Prometheus API answers with its own `errorType`.
 * @example throw new PrometheusApiError('bad_data', 'invalid parameter "query": missing')
 */
export class PrometheusApiError extends Error {
  constructor(
    readonly errorType: PrometheusErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'PrometheusApiError';
  }
}

/**
 * `{"status":"success","data":...}`.
 * @example return apiSuccess(c, ['__name__', 'job']);
 */
export function apiSuccess(c: Context, data: unknown): Response {
  return jsonResponse(c, { status: 'success', data });
}

/**
 * The Prometheus error envelope for any thrown value: PromQL and parameter errors as `bad_data` (400) or
 * `execution` (422); the query time limit as `timeout` (503); the rest from the sidecar's reply table (its
 * message, status and `Retry-After`; retryable ones as `unavailable`, failures as `internal`).
 * @example return apiError(c, new PromqlParseError('unexpected end of input'));
 */
export function apiError(c: Context, error: unknown): Response {
  const reply = errorReply(error);
  let errorType: PrometheusErrorType;
  let message = reply.message;
  if (error instanceof PrometheusApiError) {
    errorType = error.errorType;
    message = error.message;
  } else if (error instanceof PromqlError) {
    errorType = error.code;
    message = error.message;
  } else if (reply.code === 'timeout') errorType = 'timeout';
  else if (reply.status === 400 || reply.status === 413 || reply.status === 415) errorType = 'bad_data';
  else if (reply.status === 503) errorType = 'unavailable';
  else errorType = 'internal';
  const status = errorType === 'bad_data' && reply.status === 413 ? 413 : STATUS[errorType];
  return jsonResponse(c, { status: 'error', errorType, error: message }, status, { ...reply.headers });
}
