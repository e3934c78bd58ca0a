import { ClosedError, OverloadedError, ValidationError } from '@duckside/core';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  BodyTooLargeError,
  MalformedBodyError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '../plugin-api/errors.ts';
import { grpcRefusal, serviceError } from './grpc-refusal.ts';

const answer = (error: unknown) => {
  const { reply, retryDelayMs } = grpcRefusal(error);
  return { code: reply.grpc, message: reply.message, retryDelayMs };
};

describe('grpcRefusal', () => {
  it('answers client errors from the reply table with non-retryable codes', () => {
    expect(answer(new MalformedBodyError('truncated at byte 3'))).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'truncated at byte 3',
      retryDelayMs: undefined,
    });
    expect(answer(new UnsupportedMediaTypeError('no')).code).toBe(status.INVALID_ARGUMENT);
    expect(answer(new ValidationError('value', 'not a number')).code).toBe(status.INVALID_ARGUMENT);
    expect(answer(new UnauthorizedError()).code).toBe(status.UNAUTHENTICATED);
    expect(answer(new BodyTooLargeError(10))).toEqual({
      code: status.RESOURCE_EXHAUSTED,
      message: 'the request body exceeds the limit of 10 bytes',
      retryDelayMs: undefined,
    });
  });

  it('asks for a retry after the error hint, to the millisecond, or after the table delay', () => {
    expect(answer(new OverloadedError('the write queue is full', 250))).toEqual({
      code: status.UNAVAILABLE,
      message: 'the write queue is full',
      retryDelayMs: 250,
    });
    expect(answer(new ClosedError()).retryDelayMs).toBe(5000);
  });

  it('answers an unexpected failure INTERNAL without leaking its message', () => {
    expect(answer(new Error('SELECT secret FROM x failed'))).toEqual({
      code: status.INTERNAL,
      message: 'internal error',
      retryDelayMs: undefined,
    });
  });

  it('puts the status details trailer only on retryable refusals', () => {
    const retry = serviceError(grpcRefusal(new OverloadedError('full', 1000)));
    expect(retry.code).toBe(status.UNAVAILABLE);
    expect(retry.metadata?.get('grpc-status-details-bin')[0]).toBeInstanceOf(Buffer);
    const final = serviceError(grpcRefusal(new MalformedBodyError('bad')));
    expect(final.metadata?.get('grpc-status-details-bin')).toEqual([]);
  });
});
