import type { MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../plugin-api/errors.ts';
import { bearerTokenCheck, tokenRefusal } from './bearer-token.ts';

/**
 * Requires `Authorization: Bearer <token>` on every path but the exempt ones, compared in constant time
 * ({@link bearerTokenCheck}).
 * @example app.use('*', bearerAuth('s3cret-token-0123456789', ['/healthz']));
 */
export function bearerAuth(token: string, exemptPaths: readonly string[] = []): MiddlewareHandler {
  const check = bearerTokenCheck(token);
  const exempt = new Set(exemptPaths);
  return async (c, next) => {
    if (exempt.has(c.req.path)) return next();
    const verdict = check(c.req.header('authorization'));
    if (verdict !== 'valid') throw new UnauthorizedError(tokenRefusal(verdict));
    return next();
  };
}
