import { createHash, timingSafeEqual } from 'node:crypto';

/** What an `Authorization` value says about the token: present and right, absent or malformed, or wrong. */
export type TokenVerdict = 'valid' | 'missing' | 'invalid';

/**
 * A check of `Authorization: Bearer <token>` values against `token`, shared by the HTTP and gRPC servers.
 * Tokens are compared in constant time (SHA-256 digests of equal length, `timingSafeEqual`), so neither
 * content nor length leaks through timing.
 * @example
 * const check = bearerTokenCheck('s3cret-token-0123456789');
 * check('Bearer s3cret-token-0123456789'); // 'valid'
 */
export function bearerTokenCheck(token: string): (authorization: string | undefined) => TokenVerdict {
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    if (!match) return 'missing';
    return timingSafeEqual(digest(match[1] as string), expected) ? 'valid' : 'invalid';
  };
}

/**
 * The message for a request refused with `verdict`.
 * @example tokenRefusal('invalid') // 'the bearer token is not valid'
 */
export function tokenRefusal(verdict: Exclude<TokenVerdict, 'valid'>): string {
  return verdict === 'invalid'
    ? 'the bearer token is not valid'
    : 'a bearer token is required (Authorization: Bearer <token>)';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
