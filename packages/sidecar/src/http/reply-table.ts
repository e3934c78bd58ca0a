import type { DatabaseErrorCode } from '@duckside/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { SidecarErrorCode } from '../plugin-api/errors.ts';
import { GrpcCode, type GrpcCodeValue } from './grpc-code.ts';

/** Every error code an answer can carry: core's, the sidecar's, and `internal` for anything unrecognised. */
export type ErrorCode = DatabaseErrorCode | SidecarErrorCode | 'internal';

/** How the errors of one code are answered, whatever the protocol. */
export interface ReplyRule {
  /** HTTP status. */
  readonly status: ContentfulStatusCode;
  /** gRPC status code (also the `code` of OTLP/HTTP `google.rpc.Status` bodies). */
  readonly grpc: GrpcCodeValue;
  /**
   * Seconds a client should wait before retrying (HTTP `Retry-After`, gRPC `RetryInfo`), when the error gives no
   * `retryAfterMs` hint of its own; absent when a retry does not help.
   */
  readonly retryAfterSeconds?: number;
  /**
   * The public message, for codes whose error messages may hold internals (SQL, stack frames); absent when the
   * error's own message is written for clients and is shown as is.
   */
  readonly publicMessage?: string;
  /** How the answer is logged: `none` (the client's mistake), `warn` (load, lifecycle) or `error` (a failure). */
  readonly log: 'none' | 'warn' | 'error';
  /** The rest of the request body may be unread: the client must not reuse the connection. */
  readonly closeConnection?: boolean;
}

const client = (status: ContentfulStatusCode, grpc: GrpcCodeValue): ReplyRule => ({
  status,
  grpc,
  log: 'none',
});
const failure = (publicMessage: string): ReplyRule => ({
  status: 500,
  grpc: GrpcCode.Internal,
  publicMessage,
  log: 'error',
});
const unavailable = (retryAfterSeconds: number, log: 'warn' | 'error'): ReplyRule => ({
  status: 503,
  grpc: GrpcCode.Unavailable,
  retryAfterSeconds,
  log,
});

/**
 * The one table from error codes to answers: every route (JSON API, OTLP/HTTP, and the gRPC receiver) answers an
 * error from its row and only chooses the body encoding. Retryable conditions are 503 + `Retry-After` (gRPC
 * UNAVAILABLE with a retry delay), never 500: the OpenTelemetry exporters drop data on any status but
 * 429/502/503/504. 500 is left for failures a retry would not fix, with a fixed public message.
 * @example REPLY_TABLE.overloaded // { status: 503, grpc: 14, retryAfterSeconds: 1, log: 'warn' }
 */
export const REPLY_TABLE = Object.freeze({
  validation: client(400, GrpcCode.InvalidArgument),
  malformed: client(400, GrpcCode.InvalidArgument),
  unauthorized: client(401, GrpcCode.Unauthenticated),
  not_found: client(404, GrpcCode.Unimplemented),
  method_not_allowed: client(405, GrpcCode.Unimplemented),
  // RESOURCE_EXHAUSTED without a retry delay is not retryable, and is what grpc-js itself answers over its limit.
  too_large: { ...client(413, GrpcCode.ResourceExhausted), closeConnection: true },
  unsupported_media_type: client(415, GrpcCode.InvalidArgument),
  query: failure('the query failed'),
  schema: failure('internal error'),
  migration: failure('internal error'),
  plugin: failure('internal error'),
  config: failure('internal error'),
  internal: failure('internal error'),
  overloaded: unavailable(1, 'warn'),
  pool: unavailable(1, 'warn'),
  fault: unavailable(1, 'warn'),
  shutting_down: { ...unavailable(5, 'warn'), closeConnection: true },
  not_ready: unavailable(5, 'warn'),
  closed: unavailable(5, 'error'),
  locked: unavailable(5, 'error'),
  connection: unavailable(5, 'error'),
  write: unavailable(5, 'error'),
  timeout: { status: 504, grpc: GrpcCode.DeadlineExceeded, log: 'warn' },
} satisfies Record<ErrorCode, ReplyRule>) as Readonly<Record<ErrorCode, ReplyRule>>;
