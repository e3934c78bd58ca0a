import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback.ts';

describe('isLoopbackHost', () => {
  it('accepts loopback addresses in any spelling', () => {
    for (const h of [
      'localhost',
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
  });

  it('refuses everything else', () => {
    for (const h of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '192.168.1.2',
      '::ffff:10.0.0.1',
      'example.com',
      '128.0.0.1',
      'localhost.evil',
    ]) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });
});
