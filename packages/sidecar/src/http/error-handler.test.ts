import {
  DatabaseLockedError,
  OverloadedError,
  QueryError,
  QueryTimeoutError,
  ValidationError,
  WriteError,
} from '@duckside/core';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, QueryCapacityError, UnauthorizedError } from '../errors.ts';
import { errorReply } from './error-handler.ts';

describe('errorReply', () => {
  it('maps core and sidecar codes to statuses with Retry-After where a retry helps', () => {
    const cases: Array<[unknown, number, string | undefined]> = [
      [new ValidationError('price', 'must be positive', { index: 3 }), 400, undefined],
      [new UnauthorizedError(), 401, undefined],
      [new BodyTooLargeError(10), 413, undefined],
      [new QueryTimeoutError(5000), 504, undefined],
      [new OverloadedError('queue full', 2500), 503, '3'],
      [new QueryCapacityError(8), 503, '1'],
      [new WriteError('disk full'), 503, '5'],
      [new DatabaseLockedError('/x', 'PID 1'), 503, '5'],
      [
        new QueryError('the query failed', { cause: new Error('Binder Error: SELECT secret FROM t') }),
        500,
        undefined,
      ],
    ];
    for (const [error, status, retry] of cases) {
      const reply = errorReply(error);
      expect(reply.status, String(error)).toBe(status);
      expect(reply.headers['retry-after'], String(error)).toBe(retry);
    }
  });

  it('includes field and row of validation errors, and hides internals of unknown errors', () => {
    expect(errorReply(new ValidationError('price', 'must be positive', { index: 3 })).body).toEqual({
      error: { code: 'validation', message: 'row 3: price: must be positive', field: 'price', index: 3 },
    });
    const internal = errorReply(new TypeError("Cannot read properties of undefined (reading 'sql')"));
    expect(internal).toMatchObject({
      status: 500,
      body: { error: { code: 'internal', message: 'internal error' } },
    });
    expect(
      errorReply(new QueryError('the query failed', { cause: new Error('SELECT') })).body.error.message,
    ).toBe('the query failed');
    expect(errorReply(new HTTPException(405, { message: 'no' })).status).toBe(405);
  });
});
