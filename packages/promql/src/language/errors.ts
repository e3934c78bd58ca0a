import { CodedError, withCode } from '@duckside/core';

/** Machine-readable codes of PromQL errors; they match the Prometheus HTTP API's `errorType`. */
export type PromqlErrorCode = 'bad_data' | 'execution';

/**
 * Base class of the errors of `@duckside/promql`. `code` is the Prometheus `errorType` the HTTP layer answers
 * with; the message never contains SQL.
 * @example try { compilePromql('rate(x)', { time: 0 }); } catch (e) { if (e instanceof PromqlError) e.code; }
 */
export class PromqlError extends CodedError<PromqlErrorCode> {}

/**
 * The query text is not valid PromQL (syntax or types), e.g. `rate(x)` without a range.
 * @example new PromqlParseError('expected type range vector in call to function "rate"')
 */
export class PromqlParseError extends withCode(PromqlError, 'bad_data') {}

/**
 * Valid PromQL that Duckside does not evaluate (yet); names the construct so that no wrong number is returned.
 * @example new UnsupportedPromqlError('function "predict_linear"')
 */
export class UnsupportedPromqlError extends PromqlError {
  /** The construct that is not supported, e.g. `function "predict_linear"`. */
  readonly construct: string;
  constructor(construct: string) {
    super('bad_data', `unsupported PromQL construct: ${construct}`);
    this.construct = construct;
  }
}

/**
 * Evaluation failed at run time (e.g. many-to-many matching, duplicate output series).
 * @example new PromqlExecutionError('found duplicate series for the match group')
 */
export class PromqlExecutionError extends withCode(PromqlError, 'execution') {}
