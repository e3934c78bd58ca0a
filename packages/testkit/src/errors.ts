/** Machine-readable codes of testkit errors. */
export type TestkitErrorCode = 'postgres_not_found' | 'postgres_start' | 'postgres_stop' | 'command';

/**
 * An error of the test helpers; `code` tells what failed, `cause` keeps the underlying error and
 * `details` the output of the failing command (e.g. the server log).
 * @example try { await startPostgres(); } catch (e) { if (e instanceof TestkitError) console.error(e.details); }
 */
export class TestkitError extends Error {
  readonly code: TestkitErrorCode;
  readonly details: string;
  constructor(code: TestkitErrorCode, message: string, options: { cause?: unknown; details?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = 'TestkitError';
    this.code = code;
    this.details = options.details ?? '';
  }
}
