import { CodedError, withCode } from '@duckside/core';

/** Machine-readable codes of the exporter's own errors. */
export type ExporterErrorCode = 'shutdown' | 'mapping' | 'options';

/**
 * Base class of the errors raised by `@duckside/otel-exporter`; database errors from `@duckside/core`
 * are passed through unchanged.
 * @example
 * exporter.export(metrics, (r) => { if (r.error instanceof ExporterError) console.log(r.error.code); });
 */
export class ExporterError extends CodedError<ExporterErrorCode> {}

/**
 * The exporter was shut down: every later export fails with this error.
 * @example if (result.error instanceof ExporterShutdownError) { ... }
 */
export class ExporterShutdownError extends ExporterError {
  constructor() {
    super('shutdown', 'the Duckside exporter is shut down');
  }
}

/**
 * The SDK handed over data the exporter could not turn into rows (the SDK's own data never should).
 * @example new MappingError('unknown data point type 9')
 */
export class MappingError extends withCode(ExporterError, 'mapping') {}

/**
 * The exporter options are invalid (e.g. neither `path` nor `database`).
 * @example new OptionsError('give either path or database')
 */
export class OptionsError extends ExporterError {
  constructor(message: string) {
    super('options', message);
  }
}
