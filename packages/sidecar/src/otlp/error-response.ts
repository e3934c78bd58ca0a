import { DatabaseError, OverloadedError } from '@duckside/core';
import { SidecarError } from '../errors.ts';
import type { Logger } from '../plugin.ts';
import { GrpcCode, type OtlpEncoding, statusResponse } from './export-response.ts';

const RETRY_AFTER_SECONDS = 1;

/**
 * Maps a failure of an export request to its OTLP/HTTP answer, in the request's encoding. Client errors
 * become 400/413/415; an overloaded or otherwise unavailable store becomes 503 with `Retry-After` (never 500:
 * the OpenTelemetry exporters drop data on any status but 429/502/503/504).
 * @example return errorResponse(encoding, error, logger);
 */
export function errorResponse(encoding: OtlpEncoding, error: unknown, logger: Logger): Response {
  if (error instanceof SidecarError) {
    logger.debug('otlp request refused', { code: error.code, reason: error.message });
    switch (error.code) {
      case 'too_large':
        return statusResponse(encoding, 413, GrpcCode.InvalidArgument, error.message, {
          connection: 'close',
        });
      case 'unsupported_media_type':
        return statusResponse(encoding, 415, GrpcCode.InvalidArgument, error.message);
      default:
        return statusResponse(encoding, 400, GrpcCode.InvalidArgument, error.message);
    }
  }
  if (error instanceof OverloadedError) {
    logger.warn('otlp write refused: the write queue is full', { retryAfterMs: error.retryAfterMs });
    const seconds = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    return statusResponse(encoding, 503, GrpcCode.Unavailable, 'the write queue is full; retry later', {
      'retry-after': seconds,
    });
  }
  if (error instanceof DatabaseError && error.code === 'validation') {
    logger.warn('otlp points refused by the database', { reason: error.message });
    return statusResponse(encoding, 400, GrpcCode.InvalidArgument, 'the data points could not be stored');
  }
  const code = error instanceof DatabaseError ? error.code : 'unexpected';
  logger.error('otlp write failed', { code, reason: String((error as Error)?.message ?? error) });
  return statusResponse(
    encoding,
    503,
    GrpcCode.Unavailable,
    'the points could not be stored now; retry later',
    {
      'retry-after': String(RETRY_AFTER_SECONDS),
    },
  );
}
