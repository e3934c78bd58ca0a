import { Metadata, type ServerErrorResponse } from '@grpc/grpc-js';
import { type ErrorReply, errorReply } from '../http/error-reply.ts';
import { encodeStatus } from '../otlp/export-response.ts';
import { retryInfoDetail } from './retry-info.ts';

/** How a failed export call is answered: the reply table's row and, when a retry helps, the delay. */
export interface GrpcRefusal {
  reply: ErrorReply;
  /** Set when the client should retry: sent as `google.rpc.RetryInfo`. */
  retryDelayMs?: number;
}

/**
 * Maps a failure of an export call to its gRPC answer from the shared reply table (`errorReply`: its gRPC code
 * and public message): e.g. a malformed message is `INVALID_ARGUMENT`, a missing or wrong token
 * `UNAUTHENTICATED`, an oversize message `RESOURCE_EXHAUSTED`, a full write queue or a closed database
 * `UNAVAILABLE`. Rows with a retry delay also carry it, to the millisecond when the error gives a hint.
 * @example grpcRefusal(new OverloadedError('queue full', 250)).retryDelayMs // 250
 */
export function grpcRefusal(error: unknown): GrpcRefusal {
  const reply = errorReply(error);
  if (reply.retryAfterSeconds === undefined) return { reply };
  const hint = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return {
    reply,
    retryDelayMs: typeof hint === 'number' ? Math.max(0, hint) : reply.retryAfterSeconds * 1000,
  };
}

/**
 * The error a unary handler passes to its callback for `refusal`: code, details and, when retryable, the
 * `grpc-status-details-bin` trailer (a `google.rpc.Status` carrying the `RetryInfo`).
 * @example callback(serviceError(grpcRefusal(error)));
 */
export function serviceError({ reply, retryDelayMs }: GrpcRefusal): ServerErrorResponse {
  const metadata = new Metadata();
  if (retryDelayMs !== undefined) {
    const details = encodeStatus(reply.grpc, reply.message, [retryInfoDetail(retryDelayMs)]);
    metadata.set('grpc-status-details-bin', Buffer.from(details));
  }
  return Object.assign(new Error(reply.message), { code: reply.grpc, details: reply.message, metadata });
}
