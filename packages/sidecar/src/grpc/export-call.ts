import { type handleUnaryCall, type ServerUnaryCall, status } from '@grpc/grpc-js';
import { type TokenVerdict, tokenRefusal } from '../http/bearer-token.ts';
import { logErrorReply } from '../http/error-handler.ts';
import type { OtlpSignal } from '../otlp/otlp-signals.ts';
import { BodyTooLargeError, UnauthorizedError } from '../plugin-api/errors.ts';
import type { Counter, Logger } from '../plugin-api/plugin.ts';
import { grpcRefusal, serviceError } from './grpc-refusal.ts';
import { OTLP_EXPORT_PATHS } from './otlp-services.ts';

/** What one OTLP/gRPC `Export` method needs. */
export interface ExportCallDeps {
  signal: OtlpSignal;
  logger: Logger;
  /** Largest request message accepted, decompressed (grpc-js enforces it too). */
  maxMessageBytes: number;
  /** Checks the `authorization` metadata; left out when no token is set. */
  checkToken?: (authorization: string | undefined) => TokenVerdict;
  /** Calls by signal and gRPC status name. */
  requests: Counter;
  /**
   * Decodes and commits one request message; resolves with the encoded response once the data is committed.
   * @throws MalformedBodyError, OverloadedError, ... (mapped by {@link grpcRefusal}).
   */
  store(message: Buffer): Promise<Uint8Array>;
}

/**
 * The unary handler of an OTLP `Export` method: checks the bearer token and the message size, stores the
 * message and answers `OK` with the encoded response only after the commit; any failure is answered as
 * {@link grpcRefusal} maps it.
 * @example server.addService(otlpExportService('metrics'), { Export: createExportCall(deps) });
 */
export function createExportCall(deps: ExportCallDeps): handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    exportMessage(call, deps).then(
      (response) => {
        deps.requests.inc(1, { signal: deps.signal, code: 'OK' });
        callback(null, response);
      },
      (error: unknown) => {
        const refusal = grpcRefusal(error);
        deps.requests.inc(1, {
          signal: deps.signal,
          code: status[refusal.reply.grpc] ?? String(refusal.reply.grpc),
        });
        logErrorReply(deps.logger, refusal.reply, error, { rpc: OTLP_EXPORT_PATHS[deps.signal] });
        callback(serviceError(refusal));
      },
    );
  };
}

async function exportMessage(call: ServerUnaryCall<Buffer, Buffer>, deps: ExportCallDeps): Promise<Buffer> {
  if (deps.checkToken) {
    const [value] = call.metadata.get('authorization');
    const verdict = deps.checkToken(typeof value === 'string' ? value : undefined);
    if (verdict !== 'valid') throw new UnauthorizedError(tokenRefusal(verdict));
  }
  if (call.request.byteLength > deps.maxMessageBytes) throw new BodyTooLargeError(deps.maxMessageBytes);
  const response = await deps.store(call.request);
  return Buffer.from(response.buffer, response.byteOffset, response.byteLength);
}
