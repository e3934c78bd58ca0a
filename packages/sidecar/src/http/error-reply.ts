import { DatabaseError, ValidationError } from '@duckside/core';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { SidecarError } from '../plugin-api/errors.ts';
import { GrpcCode, type GrpcCodeValue } from './grpc-code.ts';
import { type ErrorCode, REPLY_TABLE, type ReplyRule } from './reply-table.ts';

/** The answer to one error, before a route encodes it (JSON API body, OTLP `Status`, gRPC status). */
export interface ErrorReply {
  /** The error code (`http` for Hono's own exceptions). */
  readonly code: ErrorCode | 'http';
  readonly status: ContentfulStatusCode;
  readonly grpc: GrpcCodeValue;
  /** Safe to show: never SQL or stack traces. */
  readonly message: string;
  /** Seconds to wait before retrying, when a retry helps. */
  readonly retryAfterSeconds: number | undefined;
  /** HTTP headers of the answer (`retry-after`, `connection`, and what the error adds, e.g. `allow`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly log: ReplyRule['log'];
  /** The offending field and row of a validation error. */
  readonly field?: string;
  readonly index?: number;
}

/**
 * Maps any thrown value to its answer from {@link REPLY_TABLE}. An error may add a `retryAfterMs` hint (which
 * wins over the table's delay) and `replyHeaders` (e.g. `www-authenticate`).
 * @example errorReply(new QueryTimeoutError(5000)).status // 504
 */
export function errorReply(error: unknown): ErrorReply {
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const message = error.message || 'request failed';
    return {
      code: 'http',
      status,
      grpc: GrpcCode.Unknown,
      message,
      retryAfterSeconds: undefined,
      headers: {},
      log: 'none',
    };
  }
  const code = codeOf(error);
  const rule = REPLY_TABLE[code];
  const hintMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
  const retryAfterSeconds =
    rule.retryAfterSeconds === undefined
      ? undefined
      : typeof hintMs === 'number'
        ? Math.max(1, Math.ceil(hintMs / 1000))
        : rule.retryAfterSeconds;
  const headers: Record<string, string> = {
    ...(error as { replyHeaders?: Record<string, string> }).replyHeaders,
  };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (rule.closeConnection) headers.connection = 'close';
  const reply = {
    code,
    status: rule.status,
    grpc: rule.grpc,
    message: rule.publicMessage ?? (error as Error).message,
    retryAfterSeconds,
    headers,
    log: rule.log,
  };
  if (!(error instanceof ValidationError)) return reply;
  return error.index === undefined
    ? { ...reply, field: error.field }
    : { ...reply, field: error.field, index: error.index };
}

function codeOf(error: unknown): ErrorCode {
  if (error instanceof DatabaseError || error instanceof SidecarError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code in REPLY_TABLE ? (code as ErrorCode) : 'internal';
}
