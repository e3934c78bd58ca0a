import type { Context, ErrorHandler } from 'hono';
import type { Logger } from '../plugin-api/plugin.ts';
import { type ErrorReply, errorReply } from './error-reply.ts';
import { jsonResponse } from './json-response.ts';

/** The JSON error body: `{ "error": { "code", "message" } }` plus `field`/`index` for validation errors. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; index?: number };
}

/**
 * The JSON API's body of an error answer.
 * @example jsonErrorBody(errorReply(new UnauthorizedError())) // { error: { code: 'unauthorized', message: '...' } }
 */
export function jsonErrorBody(reply: ErrorReply): ErrorBody {
  const body: ErrorBody = { error: { code: reply.code, message: reply.message } };
  if (reply.field !== undefined) body.error.field = reply.field;
  if (reply.index !== undefined) body.error.index = reply.index;
  return body;
}

/**
 * Logs an error answer as its table row says: failures as errors (with the error, for its cause), load and
 * lifecycle refusals as warnings, clients' mistakes at debug level.
 * @example logErrorReply(logger, reply, error, { method: 'POST', path: '/v1/metrics' });
 */
export function logErrorReply(
  logger: Logger,
  reply: ErrorReply,
  error: unknown,
  fields: Record<string, unknown>,
): void {
  if (reply.log === 'error') logger.error('request failed', { ...fields, code: reply.code, error });
  else if (reply.log === 'warn')
    logger.warn('request refused', { ...fields, code: reply.code, reason: reply.message });
  else logger.debug('request refused', { ...fields, code: reply.code, reason: reply.message });
}

/**
 * Hono `onError` handler: answers with {@link errorReply} as JSON and logs it ({@link logErrorReply}).
 * @example app.onError(createErrorHandler(logger));
 */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return (error: Error, c: Context) => {
    const reply = errorReply(error);
    logErrorReply(logger, reply, error, { method: c.req.method, path: c.req.path });
    return jsonResponse(c, jsonErrorBody(reply), reply.status, reply.headers);
  };
}
