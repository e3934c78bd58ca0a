import type { ErrorReply } from '../http/error-reply.ts';
import { type OtlpEncoding, statusResponse } from './export-response.ts';

/**
 * An error answer of an OTLP/HTTP route: the status, headers, gRPC code and message of the reply table's row,
 * as a `google.rpc.Status` body in the request's encoding.
 * @example return otlpErrorResponse(encoding, errorReply(error));
 */
export function otlpErrorResponse(encoding: OtlpEncoding, reply: ErrorReply): Response {
  return statusResponse(encoding, reply.status, reply.grpc, reply.message, reply.headers);
}
