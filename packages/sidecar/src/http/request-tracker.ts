import type { MiddlewareHandler } from 'hono';
import { ShuttingDownError } from '../plugin-api/errors.ts';

/**
 * Counts requests in flight and, once draining, refuses new ones (503 `shutting_down`) while those in flight
 * finish; their responses then carry `Connection: close`.
 * @example
 * const tracker = new RequestTracker();
 * app.use('*', tracker.middleware());
 * tracker.beginDrain(); await tracker.waitIdle(8000);
 */
export class RequestTracker {
  private active = 0;
  private isDraining = false;
  private idleWaiters: Array<() => void> = [];

  /** Requests being handled now. */
  get inFlight(): number {
    return this.active;
  }

  /** True once {@link beginDrain} was called. */
  get draining(): boolean {
    return this.isDraining;
  }

  /** The middleware; register it before any route. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      if (this.isDraining) throw new ShuttingDownError();
      this.active++;
      try {
        await next();
      } finally {
        if (this.isDraining) c.header('connection', 'close');
        this.active--;
        if (this.active === 0) this.wakeIdle();
      }
    };
  }

  /** Refuse new requests from now on. */
  beginDrain(): void {
    this.isDraining = true;
  }

  /** Resolves true when no request is in flight, or false after `timeoutMs`. */
  waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
