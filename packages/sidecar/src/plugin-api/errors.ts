import { CodedError, OverloadedError, withCode } from '@duckside/core';

/**
 * Codes of the sidecar's own errors. Together with core's codes they are mapped to answers in one place
 * (`http/reply-table.ts`).
 */
export type SidecarErrorCode =
  | 'config'
  | 'plugin'
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'malformed'
  | 'too_large'
  | 'unsupported_media_type'
  | 'shutting_down'
  | 'not_ready'
  | 'fault';

/**
 * Base class of the sidecar's errors: a stable `code` and, when any, the underlying `cause`.
 * @example
 * try { await loadConfig(argv, env); } catch (e) { if (e instanceof SidecarError) console.error(e.code, e.message); }
 */
export class SidecarError extends CodedError<SidecarErrorCode> {}

/**
 * The configuration (flags, environment, file) is invalid; the message says which option and where it came from.
 * @example throw new ConfigError('port (from --port "x"): expected an integer from 0 to 65535');
 */
export class ConfigError extends withCode(SidecarError, 'config') {}

/**
 * A plugin could not be loaded or set up.
 * @example throw new PluginError('my-plugin', 'setup failed', { cause });
 */
export class PluginError extends SidecarError {
  /** The plugin's name or module path. */
  readonly plugin: string;
  constructor(plugin: string, message: string, options?: { cause?: unknown }) {
    super('plugin', `plugin ${plugin}: ${message}`, options);
    this.plugin = plugin;
  }
}

/**
 * The request carries no valid bearer token (HTTP 401).
 * @example throw new UnauthorizedError();
 */
export class UnauthorizedError extends SidecarError {
  /** Tells HTTP clients which scheme to use. */
  readonly replyHeaders = { 'www-authenticate': 'Bearer realm="duckside"' };
  constructor(message = 'a valid bearer token is required') {
    super('unauthorized', message);
  }
}

/**
 * No route matches (HTTP 404).
 * @example throw new NotFoundError('GET /nope');
 */
export class NotFoundError extends SidecarError {
  constructor(what: string) {
    super('not_found', `no such endpoint: ${what}`);
  }
}

/**
 * The route exists but not for this method (HTTP 405 with `Allow`).
 * @example throw new MethodNotAllowedError('/v1/metrics', ['POST']);
 */
export class MethodNotAllowedError extends SidecarError {
  readonly replyHeaders: Readonly<Record<string, string>>;
  constructor(path: string, allowed: readonly string[]) {
    super('method_not_allowed', `use ${allowed.join(' or ')} for ${path}`);
    this.replyHeaders = { allow: allowed.join(', ') };
  }
}

/**
 * The request body cannot be parsed (HTTP 400).
 * @example throw new MalformedBodyError('line 3: invalid JSON');
 */
export class MalformedBodyError extends withCode(SidecarError, 'malformed') {}

/**
 * The body exceeds the size limit, on the wire or once inflated (HTTP 413).
 * @example throw new BodyTooLargeError(16 * 1024 * 1024);
 */
export class BodyTooLargeError extends SidecarError {
  readonly limitBytes: number;
  constructor(limitBytes: number, options?: { cause?: unknown }) {
    super('too_large', `the request body exceeds the limit of ${limitBytes} bytes`, options);
    this.limitBytes = limitBytes;
  }
}

/**
 * The content type or encoding is not accepted (HTTP 415).
 * @example throw new UnsupportedMediaTypeError('expected application/json or application/x-ndjson');
 */
export class UnsupportedMediaTypeError extends SidecarError {
  constructor(message: string) {
    super('unsupported_media_type', message);
  }
}

/**
 * Too many queries are running or waiting; retry after `retryAfterMs`. Core's `overloaded` (HTTP 503 with
 * `Retry-After`), like a full write queue.
 * @example throw new QueryCapacityError(8, 1000);
 */
export class QueryCapacityError extends OverloadedError {
  constructor(limit: number, retryAfterMs = 1000) {
    super(`too many concurrent queries (limit ${limit}); retry later`, retryAfterMs);
  }
}

/**
 * The sidecar is shutting down and takes no new requests (HTTP 503).
 * @example throw new ShuttingDownError();
 */
export class ShuttingDownError extends SidecarError {
  readonly retryAfterMs = 5000;
  constructor() {
    super('shutting_down', 'the sidecar is shutting down');
  }
}

/**
 * A readiness check failed (HTTP 503 with `Retry-After`).
 * @example throw new NotReadyError('database: closed');
 */
export class NotReadyError extends SidecarError {
  constructor(message: string) {
    super('not_ready', message);
  }
}

/**
 * An injected fault (test builds only, see `DUCKSIDE_FAULTS`) (HTTP 503).
 * @example throw new InjectedFaultError('ingest503');
 */
export class InjectedFaultError extends SidecarError {
  readonly retryAfterMs = 1000;
  constructor(fault: string) {
    super('fault', `injected fault ${fault}`);
  }
}
