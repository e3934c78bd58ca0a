import {
  ClosedError,
  ConnectionError,
  Database,
  DatabaseLockedError,
  MigrationError,
  OverloadedError,
  PoolError,
  QueryError,
  QueryTimeoutError,
  SchemaError,
  ValidationError,
  WriteError,
} from '@duckside/core';
import { otlpProto } from '@duckside/testkit/otlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type SidecarApp } from '../src/app.ts';
import { errorReply } from '../src/http/error-reply.ts';
import { type ErrorCode, REPLY_TABLE } from '../src/http/reply-table.ts';
import { otlpErrorResponse } from '../src/otlp/error-response.ts';
import { JSON_ENCODING } from '../src/otlp/export-response.ts';
import {
  BodyTooLargeError,
  ConfigError,
  InjectedFaultError,
  MalformedBodyError,
  MethodNotAllowedError,
  NotFoundError,
  NotReadyError,
  PluginError,
  QueryCapacityError,
  ShuttingDownError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '../src/plugin-api/errors.ts';
import { createLogger } from '../src/telemetry/logger.ts';

const protoStatus = (bytes: Uint8Array) => otlpProto.status.toObject(otlpProto.status.decode(bytes));
const SQL = 'SELECT secret FROM trading_trades WHERE api_key = 1';

/** One real error of every code of the table; those whose text may hold internals carry SQL to prove it hidden. */
const EXAMPLES: Record<ErrorCode, () => Error> = {
  validation: () => new ValidationError('price', 'must be positive', { index: 3 }),
  malformed: () => new MalformedBodyError('line 3: invalid JSON'),
  unauthorized: () => new UnauthorizedError(),
  not_found: () => new NotFoundError('GET /nope'),
  method_not_allowed: () => new MethodNotAllowedError('/v1/metrics', ['POST']),
  too_large: () => new BodyTooLargeError(10),
  unsupported_media_type: () => new UnsupportedMediaTypeError('expected application/json'),
  query: () => new QueryError(`Binder Error: ${SQL}`, { cause: new Error(SQL) }),
  schema: () => new SchemaError(`missing column in ${SQL}`),
  migration: () => new MigrationError(`migration 3 failed: ${SQL}`),
  plugin: () => new PluginError('broken', `setup failed: ${SQL}`),
  config: () => new ConfigError(`port: ${SQL}`),
  internal: () => new TypeError(`Cannot read properties of undefined (reading '${SQL}')`),
  overloaded: () => new OverloadedError('write queue is full (9 of 1 bytes)', 2500),
  pool: () => new PoolError('no connection within 5000 ms'),
  fault: () => new InjectedFaultError('ingest503'),
  shutting_down: () => new ShuttingDownError(),
  not_ready: () => new NotReadyError('database: closed'),
  closed: () => new ClosedError(),
  locked: () => new DatabaseLockedError('/data/x.duckdb', 'PID 1'),
  connection: () => new ConnectionError('cannot open a database connection'),
  write: () => new WriteError('the write could not be committed; nothing of it was stored'),
  timeout: () => new QueryTimeoutError(5000),
};

/** What every answer to `code`'s example must carry, from the table (Retry-After: the error's hint wins). */
function expected(code: ErrorCode) {
  const rule = REPLY_TABLE[code];
  const error = EXAMPLES[code]();
  const hint = (error as { retryAfterMs?: number }).retryAfterMs;
  const retry =
    rule.retryAfterSeconds === undefined
      ? null
      : String(hint === undefined ? rule.retryAfterSeconds : Math.ceil(hint / 1000));
  return { rule, error, retry, message: rule.publicMessage ?? error.message };
}

describe('the reply table, through a real app', () => {
  let db: Database;
  let sidecar: SidecarApp;
  beforeAll(async () => {
    db = await Database.open({ path: ':memory:' });
    sidecar = await createApp({
      db,
      logger: createLogger({ level: 'error', write: () => undefined }),
      plugins: [
        {
          name: 'thrower',
          setup(ctx) {
            ctx.app.get('/throw/:code', (c) => {
              throw EXAMPLES[c.req.param('code') as ErrorCode]();
            });
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await db.close();
  });

  it('has an example for every row', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(Object.keys(REPLY_TABLE).sort());
  });

  it.each(Object.keys(REPLY_TABLE) as ErrorCode[])('answers %s from its row as JSON', async (code) => {
    const { rule, error, retry, message } = expected(code);
    const res = await sidecar.app.request(`/throw/${code}`);
    expect(res.status).toBe(rule.status);
    expect(res.headers.get('retry-after')).toBe(retry);
    expect(res.headers.get('connection')).toBe(rule.closeConnection ? 'close' : null);
    const text = await res.text();
    expect(text).not.toContain('SELECT');
    expect(text).not.toMatch(/\bat \S+ \(/);
    const body = JSON.parse(text);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toBe(message);
    if (error instanceof ValidationError) expect(body.error).toMatchObject({ field: 'price', index: 3 });
    if (code === 'unauthorized') expect(res.headers.get('www-authenticate')).toBe('Bearer realm="duckside"');
    if (code === 'method_not_allowed') expect(res.headers.get('allow')).toBe('POST');
  });

  it.each(Object.keys(REPLY_TABLE) as ErrorCode[])(
    'answers %s from its row as an OTLP Status, in both encodings',
    async (code) => {
      const { rule, error, retry, message } = expected(code);
      const proto = otlpErrorResponse(
        { kind: 'protobuf', mediaType: 'application/x-protobuf' },
        errorReply(error),
      );
      expect(proto.status).toBe(rule.status);
      expect(proto.headers.get('retry-after')).toBe(retry);
      expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
      expect(protoStatus(new Uint8Array(await proto.arrayBuffer()))).toEqual({ code: rule.grpc, message });
      const json = otlpErrorResponse(JSON_ENCODING, errorReply(error));
      expect(json.status).toBe(rule.status);
      expect(await json.json()).toEqual({ code: rule.grpc, message });
    },
  );

  it("maps query capacity to core's overloaded, and unknown errors (even with a foreign code) to internal", async () => {
    expect(errorReply(new QueryCapacityError(8))).toMatchObject({
      code: 'overloaded',
      status: 503,
      retryAfterSeconds: 1,
    });
    const foreign = Object.assign(new Error(SQL), { code: 'ECONNRESET' });
    expect(errorReply(foreign)).toMatchObject({ code: 'internal', status: 500, message: 'internal error' });
    const res = await sidecar.app.request('/no/such/route');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('gives every retryable condition 503 with gRPC UNAVAILABLE, never 500', () => {
    for (const [code, rule] of Object.entries(REPLY_TABLE)) {
      if (rule.retryAfterSeconds === undefined) continue;
      expect(rule.status, code).toBe(503);
      expect(rule.grpc, code).toBe(14);
    }
  });
});
