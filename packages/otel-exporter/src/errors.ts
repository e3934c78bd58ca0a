/** Machine-readable codes of the exporter's own errors. */
export type ExporterErrorCode = 'shutdown' | 'mapping' | 'options';

/**
 * Base class of the errors raised by `@duckside/otel-exporter`; database errors from `@duckside/core`
 * are passed through unchanged.
 * @example
 * exporter.export(metrics, (r) => { if (r.error instanceof ExporterError) console.log(r.error.code); });
 */
export class ExporterError extends Error {
  /** Stable code, see {@link ExporterErrorCode}. */
  readonly code: ExporterErrorCode;
  constructor(code: ExporterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExporterError';
    this.code = code;
  }
}

/**
 * The exporter was shut down: every later export fails with this error.
 * @example if (result.error instanceof ExporterShutdownError) { ... }
 */
export class ExporterShutdownError extends ExporterError {
  constructor() {
    super('shutdown', 'the Duckside exporter is shut down');
    this.name = 'ExporterShutdownError';
  }
}

/**
 * The SDK handed over data the exporter could not turn into rows (the SDK's own data never should).
 * @example new MappingError('unknown data point type 9')
 */
export class MappingError extends ExporterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('mapping', message, options);
    this.name = 'MappingError';
  }
}

/**
 * The exporter options are invalid (e.g. neither `path` nor `database`).
 * @example new OptionsError('give either path or database')
 */
export class OptionsError extends ExporterError {
  constructor(message: string) {
    super('options', message);
    this.name = 'OptionsError';
  }
}
