import { DatabaseError, ValidationError } from '@duckside/core';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { SidecarError } from '../errors.ts';
import type { Logger } from '../plugin.ts';
import { jsonResponse } from './json-response.ts';

/**
 * The one place where error codes become HTTP statuses: core's codes (`validation`, `timeout`, `overloaded`,
 * ...) and the sidecar's (`unauthorized`, `too_large`, ...). Unknown errors are 500 `internal`.
 */
export const STATUS_BY_CODE: Readonly<Record<string, ContentfulStatusCode>> = Object.freeze({
  validation: 400,
  malformed: 400,
  unauthorized: 401,
  not_found: 404,
  too_large: 413,
  unsupported_media_type: 415,
  query: 500,
  schema: 500,
  migration: 500,
  plugin: 500,
  config: 500,
  internal: 500,
  overloaded: 503,
  shutting_down: 503,
  not_ready: 503,
  fault: 503,
  closed: 503,
  locked: 503,
  pool: 503,
  connection: 503,
  write: 503,
  timeout: 504,
});

/** Seconds clients should wait before retrying, by code (when the error gives no hint of its own). */
const RETRY_AFTER_SECONDS: Readonly<Record<string, number>> = Object.freeze({
  overloaded: 1,
  shutting_down: 5,
  not_ready: 5,
  fault: 1,
  closed: 5,
  pool: 1,
  connection: 5,
  write: 5,
  locked: 5,
});

/** The JSON error body: `{ "error": { "code", "message" } }` plus `field`/`index` for validation errors. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; index?: number };
}

/** Status, body and headers of the response to an error. Never includes SQL or stack traces. */
export interface ErrorReply {
  status: ContentfulStatusCode;
  body: ErrorBody;
  headers: Record<string, string>;
}

/**
 * Maps any thrown value to its HTTP reply.
 * @example errorReply(new QueryTimeoutError(5000)).status // 504
 */
export function errorReply(error: unknown): ErrorReply {
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return {
      status,
      body: { error: { code: 'http', message: error.message || 'request failed' } },
      headers: {},
    };
  }
  const code = codeOf(error);
  const status = STATUS_BY_CODE[code] ?? 500;
  const message = status === 500 ? publicMessage(code) : (error as Error).message;
  const body: ErrorBody = { error: { code, message } };
  if (error instanceof ValidationError) {
    body.error.field = error.field;
    if (error.index !== undefined) body.error.index = error.index;
  }
  const headers: Record<string, string> = {};
  const hintMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
  const retry =
    typeof hintMs === 'number' ? Math.max(1, Math.ceil(hintMs / 1000)) : RETRY_AFTER_SECONDS[code];
  if (retry !== undefined) headers['retry-after'] = String(retry);
  if (code === 'unauthorized') headers['www-authenticate'] = 'Bearer realm="duckside"';
  // The rest of the request body may be unread: the client must not reuse the connection.
  if (code === 'shutting_down' || code === 'too_large') headers.connection = 'close';
  return { status, body, headers };
}

/**
 * Hono `onError` handler: answers with {@link errorReply} and logs server-side failures (5xx but 503) with
 * their cause.
 * @example app.onError(createErrorHandler(logger));
 */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return (error: Error, c: Context) => {
    const reply = errorReply(error);
    if (reply.status >= 500 && reply.status !== 503 && reply.status !== 504) {
      logger.error('request failed', { method: c.req.method, path: c.req.path, error });
    } else if (reply.status >= 503) {
      logger.warn('request refused', { method: c.req.method, path: c.req.path, code: reply.body.error.code });
    }
    return jsonResponse(c, reply.body, reply.status, reply.headers);
  };
}

function codeOf(error: unknown): string {
  if (error instanceof DatabaseError || error instanceof SidecarError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code in STATUS_BY_CODE ? code : 'internal';
}

function publicMessage(code: string): string {
  return code === 'query' ? 'the query failed' : 'internal error';
}
