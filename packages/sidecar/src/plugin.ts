import type { Database } from '@duckside/core';
import type { Hono } from 'hono';

/** Structured logger handed to plugins: one JSON line per event (readable on a terminal). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A monotonically increasing counter with optional labels. */
export interface Counter {
  inc(value?: number, labels?: Record<string, string>): void;
}

/** A value that goes up and down, or is read when scraped. */
export interface Gauge {
  set(value: number, labels?: Record<string, string>): void;
}

/** A histogram of observations (e.g. latencies in seconds). */
export interface Histogram {
  observe(value: number, labels?: Record<string, string>): void;
}

/** The sidecar's self-metrics registry, exposed at `/metrics` in Prometheus text format. */
export interface SelfMetrics {
  counter(name: string, help: string): Counter;
  gauge(
    name: string,
    help: string,
    collect?: () => number | Array<{ labels: Record<string, string>; value: number }>,
  ): Gauge;
  histogram(name: string, help: string, buckets?: number[]): Histogram;
}

/** What a plugin gets to wire itself in. */
export interface PluginContext {
  /** The Hono app: register routes here. Auth, error mapping and limits are already applied. */
  readonly app: Hono;
  /** The open core database. */
  readonly db: Database;
  readonly logger: Logger;
  readonly metrics: SelfMetrics;
  /** The plugin's own options (from config `plugins.<name>`), unvalidated. */
  readonly options: Record<string, unknown>;
  /** Runs after the server listens. */
  onStart(hook: () => void | Promise<void>): void;
  /** Runs on shutdown, in reverse registration order, before the database closes. */
  onStop(hook: () => void | Promise<void>): void;
}

/**
 * A sidecar plugin: a name and a `setup` that registers routes and hooks.
 * @example
 * export default { name: 'hello', setup(ctx) { ctx.app.get('/hello', (c) => c.json({ hi: true })); } } satisfies DucksidePlugin;
 */
export interface DucksidePlugin {
  readonly name: string;
  /**
   * Exact paths this plugin serves without the bearer token, when one is set (e.g. `/healthz`, a page shell).
   * Only for responses that hold no data.
   */
  readonly publicPaths?: readonly string[];
  setup(ctx: PluginContext): void | Promise<void>;
}
