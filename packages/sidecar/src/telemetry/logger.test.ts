import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  it('writes one JSON object per line with level, message, fields and errors with their cause', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', format: 'json', write: (l) => lines.push(l) });
    log.debug('hidden');
    log.child({ plugin: 'query' }).warn('slow', { ms: 12, n: 5n });
    log.error('failed', {
      error: Object.assign(new Error('outer', { cause: new Error('inner') }), { code: 'x' }),
    });
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const first = JSON.parse(lines[0] as string);
    expect(first).toMatchObject({ level: 'warn', msg: 'slow', plugin: 'query', ms: 12, n: '5' });
    expect(Date.parse(first.time)).not.toBeNaN();
    const second = JSON.parse(lines[1] as string);
    expect(second.error).toMatchObject({
      name: 'Error',
      message: 'outer',
      code: 'x',
      cause: { message: 'inner' },
    });
  });

  it('writes a readable line for terminals', () => {
    const lines: string[] = [];
    const log = createLogger({ format: 'pretty', color: false, write: (l) => lines.push(l) });
    log.info('listening', { url: 'http://127.0.0.1:4318', plugins: ['a', 'b'], note: 'two words' });
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}listening url=http:\/\/127\.0\.0\.1:4318 plugins=\["a","b"\] note="two words"\n$/,
    );
  });
});
