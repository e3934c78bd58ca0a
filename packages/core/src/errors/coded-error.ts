/**
 * The shape of every Duckside error: a stable machine-readable `code`, a `message` for people (never SQL or a
 * stack) and, when any, the underlying error in `cause`. `name` is the class's own name, so subclasses need not
 * set it. Each package's error base extends it with its own code type.
 * @example
 * export class ExampleError extends CodedError<'example'> {}
 * new ExampleError('example', 'it failed', { cause }).name; // 'ExampleError'
 */
export class CodedError<Code extends string> extends Error {
  /** Stable code, one of the package's error codes. */
  readonly code: Code;
  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A constructor of errors `E` from the arguments `Args`. */
type ErrorClass<Args extends unknown[], E> = new (...args: Args) => E;

/**
 * The class of one fixed code under an error base: its constructor takes only the message and options, so an
 * error that adds nothing but its code is written in one line. `instanceof` holds for the base and the class.
 * @example
 * export class PoolError extends withCode(DatabaseError, 'pool') {}
 * new PoolError('no connection in time').code; // 'pool'
 */
export function withCode<E extends CodedError<string>>(
  base: ErrorClass<[code: E['code'], message: string, options?: ErrorOptions], E>,
  code: E['code'],
): ErrorClass<[message: string, options?: ErrorOptions], E> {
  const Base = base as ErrorClass<
    [code: string, message: string, options?: ErrorOptions],
    CodedError<string>
  >;
  class FixedCode extends Base {
    constructor(message: string, options?: ErrorOptions) {
      super(code, message, options);
    }
  }
  return FixedCode as unknown as ErrorClass<[message: string, options?: ErrorOptions], E>;
}
