import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../errors.ts';

/**
 * Requires `Authorization: Bearer <token>` on every path but the exempt ones. Tokens are compared in constant
 * time (SHA-256 digests of equal length, `timingSafeEqual`), so neither content nor length leaks through timing.
 * @example app.use('*', bearerAuth('s3cret-token-0123456789', ['/healthz']));
 */
export function bearerAuth(token: string, exemptPaths: readonly string[] = []): MiddlewareHandler {
  const expected = digest(token);
  const exempt = new Set(exemptPaths);
  return async (c, next) => {
    if (exempt.has(c.req.path)) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1] as string), expected)) {
      throw new UnauthorizedError(
        match
          ? 'the bearer token is not valid'
          : 'a bearer token is required (Authorization: Bearer <token>)',
      );
    }
    return next();
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
