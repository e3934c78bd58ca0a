import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, MalformedBodyError, UnsupportedMediaTypeError } from '../plugin-api/errors.ts';
import { contentCoding, inflateBody } from './inflate-body.ts';

const payload = Buffer.from('x'.repeat(10_000) + 'end');

describe('contentCoding', () => {
  it('accepts identity, gzip and deflate in any case and refuses the rest', () => {
    expect(contentCoding(undefined)).toBe('identity');
    expect(contentCoding(' Identity ')).toBe('identity');
    expect(contentCoding('GZIP')).toBe('gzip');
    expect(contentCoding('x-gzip')).toBe('gzip');
    expect(contentCoding('deflate')).toBe('deflate');
    for (const bad of ['br', 'zstd', 'gzip, gzip', 'compress']) {
      expect(() => contentCoding(bad)).toThrow(UnsupportedMediaTypeError);
    }
  });
});

describe('inflateBody', () => {
  it('inflates gzip, zlib deflate and raw deflate', async () => {
    expect(await inflateBody(gzipSync(payload), 'gzip', 1 << 20)).toEqual(payload);
    expect(await inflateBody(deflateSync(payload), 'deflate', 1 << 20)).toEqual(payload);
    expect(await inflateBody(deflateRawSync(payload), 'deflate', 1 << 20)).toEqual(payload);
    expect(await inflateBody(payload, 'identity', 10)).toBe(payload);
  });

  it('stops at the limit while inflating', async () => {
    await expect(inflateBody(gzipSync(payload), 'gzip', payload.length - 1)).rejects.toBeInstanceOf(
      BodyTooLargeError,
    );
    expect(await inflateBody(gzipSync(payload), 'gzip', payload.length)).toEqual(payload);
  });

  it('calls corrupt or truncated data malformed', async () => {
    const gz = gzipSync(payload);
    await expect(inflateBody(gz.subarray(0, gz.length - 10), 'gzip', 1 << 20)).rejects.toBeInstanceOf(
      MalformedBodyError,
    );
    await expect(inflateBody(Buffer.from('not gzip at all'), 'gzip', 1 << 20)).rejects.toBeInstanceOf(
      MalformedBodyError,
    );
    await expect(inflateBody(Buffer.from('not deflate'), 'deflate', 1 << 20)).rejects.toBeInstanceOf(
      MalformedBodyError,
    );
  });
});
