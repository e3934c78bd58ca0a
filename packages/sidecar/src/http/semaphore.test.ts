import { describe, expect, it } from 'vitest';
import { QueryCapacityError } from '../plugin-api/errors.ts';
import { Semaphore } from './semaphore.ts';

describe('Semaphore', () => {
  it('grants up to the limit, queues the next in order, and hands slots over on release', async () => {
    const s = new Semaphore(2, 2);
    const a = await s.acquire(1000);
    const b = await s.acquire(1000);
    const order: string[] = [];
    const c = s.acquire(1000).then((r) => {
      order.push('c');
      return r;
    });
    const d = s.acquire(1000).then((r) => {
      order.push('d');
      return r;
    });
    expect([s.active, s.waiting]).toEqual([2, 2]);
    await expect(s.acquire(1000)).rejects.toBeInstanceOf(QueryCapacityError);
    a();
    a();
    const releaseC = await c;
    expect(order).toEqual(['c']);
    expect([s.active, s.waiting]).toEqual([2, 1]);
    b();
    (await d)();
    releaseC();
    expect([s.active, s.waiting]).toEqual([0, 0]);
  });

  it('gives up waiting after the wait limit', async () => {
    const s = new Semaphore(1, 5);
    const hold = await s.acquire(1000);
    const error = await s.acquire(20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryCapacityError);
    expect((error as QueryCapacityError).retryAfterMs).toBe(1000);
    expect(s.waiting).toBe(0);
    hold();
    expect(s.active).toBe(0);
  });
});
