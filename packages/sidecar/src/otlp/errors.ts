/** Codes of the OTLP receiver's own errors; the handler maps each to one HTTP status. */
export type OtlpErrorCode = 'malformed' | 'too_large' | 'unsupported_media_type';

/**
 * Base class of the OTLP receiver's errors: a stable `code` and, when any, the underlying `cause`.
 * @example
 * try { decodeProtobufMetrics(bytes); } catch (e) { if (e instanceof OtlpError) console.log(e.code); }
 */
export class OtlpError extends Error {
  readonly code: OtlpErrorCode;
  constructor(code: OtlpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OtlpError';
    this.code = code;
  }
}

/**
 * The request body is not a valid `ExportMetricsServiceRequest` (HTTP 400).
 * @example throw new MalformedRequestError('truncated varint at byte 17');
 */
export class MalformedRequestError extends OtlpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('malformed', message, options);
    this.name = 'MalformedRequestError';
  }
}

/**
 * The body, on the wire or once inflated, exceeds the size limit (HTTP 413).
 * @example throw new PayloadTooLargeError(16 * 1024 * 1024);
 */
export class PayloadTooLargeError extends OtlpError {
  readonly limitBytes: number;
  constructor(limitBytes: number, options?: { cause?: unknown }) {
    super('too_large', `the request body exceeds the limit of ${limitBytes} bytes`, options);
    this.name = 'PayloadTooLargeError';
    this.limitBytes = limitBytes;
  }
}

/**
 * The content type or content encoding is not one the receiver accepts (HTTP 415).
 * @example throw new UnsupportedMediaTypeError('content type text/plain is not supported');
 */
export class UnsupportedMediaTypeError extends OtlpError {
  constructor(message: string) {
    super('unsupported_media_type', message);
    this.name = 'UnsupportedMediaTypeError';
  }
}
