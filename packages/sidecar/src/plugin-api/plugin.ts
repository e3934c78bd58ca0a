import type { CompiledQuery, Database, QueryResult, RollupPlan } from '@duckside/core';
import type { Hono } from 'hono';
import type { z } from 'zod';

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

/** Reads a metric's value(s) at each scrape (for figures kept elsewhere, e.g. by core). */
export type Collect = () => number | Array<{ labels: Record<string, string>; value: number }>;

/**
 * The sidecar's self-metrics registry, exposed at `/metrics` in Prometheus text format. Asking twice for the same
 * name returns the same metric.
 */
export interface SelfMetrics {
  counter(name: string, help: string, collect?: Collect): Counter;
  gauge(name: string, help: string, collect?: Collect): Gauge;
  histogram(name: string, help: string, buckets?: number[]): Histogram;
  /** Every metric in the Prometheus text exposition format (0.0.4). */
  render(): string;
}

/**
 * Read queries the way the query API runs them: compiled first (bad input fails before taking a slot), then under
 * the shared concurrency gate (503 `overloaded` beyond it), the query time limit (504) and the row cap
 * (`truncated`), with latency recorded per endpoint and outcome.
 */
export interface PluginQueries {
  /** `options.timeoutMs` lowers the time limit for this query (never raises it). */
  run<R>(
    endpoint: string,
    query: { compile(plan?: RollupPlan): CompiledQuery<R> } | CompiledQuery<R>,
    options?: { timeoutMs?: number },
  ): Promise<QueryResult<R>>;
  /** Queries running now, waiting for a slot, and the most that run at once. */
  readonly slots: { readonly running: number; readonly waiting: number; readonly limit: number };
}

/** The HTTP side of the sidecar's lifecycle. */
export interface RequestStatus {
  /** Requests being handled. */
  readonly inFlight: number;
  /** True once shutdown began (new requests get 503 `shutting_down`). */
  readonly draining: boolean;
}

/** An OTLP export request a receiver has committed: the request message as received, decompressed. */
export interface CommittedExport {
  readonly signal: 'metrics' | 'logs';
  /** `protobuf` (an `Export*ServiceRequest` message) or `json` (OTLP/JSON text, UTF-8). */
  readonly encoding: 'protobuf' | 'json';
  readonly body: Uint8Array;
  /**
   * The same request gzip-compressed as the client sent it (`Content-Encoding: gzip`), when it did: a forwarder
   * can pass these bytes on instead of compressing `body` again.
   */
  readonly gzipBody?: Uint8Array;
}

/**
 * The one seam after an OTLP commit, shared by every receiver (HTTP, gRPC, or a plugin's own): receivers call
 * {@link OtlpExportHooks.committed} after the commit and before they answer; other plugins (e.g. `forward`)
 * register with {@link OtlpExportHooks.onCommitted}.
 */
export interface OtlpExportHooks {
  /** Registers a hook run after each committed request, before the receiver answers (it is awaited). */
  onCommitted(hook: (request: CommittedExport) => void | Promise<void>): void;
  /** Runs every hook for a committed request; a failing hook is logged, never thrown (the data is committed). */
  committed(request: CommittedExport): Promise<void>;
  /** True when at least one hook is registered (receivers can skip building the request otherwise). */
  readonly active: boolean;
}

/** Options of a plugin that declares no schema: none. */
export type NoOptions = Readonly<Record<string, never>>;

/** What every plugin, built-in or user, gets to wire itself in. */
export interface PluginContext<O = NoOptions> {
  /** The Hono app: register routes here. Auth, error mapping and limits are already applied. */
  readonly app: Hono;
  /** The open core database (writes: `insert*`, `writeTables`, `writeMetricBatch`; all resolve after commit). */
  readonly db: Database;
  /** Tags every line with `plugin: <name>`. */
  readonly logger: Logger;
  readonly metrics: SelfMetrics;
  /** Read queries behind the shared gate, time limit and row cap. */
  readonly queries: PluginQueries;
  readonly requests: RequestStatus;
  /** Hooks on committed OTLP export requests (receivers report, others subscribe). */
  readonly otlp: OtlpExportHooks;
  /** The plugin's options: config `plugins.<name>` (plus the built-ins' own flags), parsed by its `options` schema. */
  readonly options: O;
  /** Runs after the server listens. */
  onStart(hook: () => void | Promise<void>): void;
  /** Runs on shutdown, in reverse registration order, before the database closes. */
  onStop(hook: () => void | Promise<void>): void;
}

/**
 * A sidecar plugin: a name, an optional zod schema of its options, and a `setup` that registers routes and hooks.
 * @example
 * const options = z.strictObject({ greeting: z.string().default('hi') });
 * export default {
 *   name: 'hello',
 *   options,
 *   setup(ctx) { ctx.app.get('/hello', (c) => c.json({ greeting: ctx.options.greeting })); },
 * } satisfies DucksidePlugin<z.output<typeof options>>;
 */
export interface DucksidePlugin<O = NoOptions> {
  readonly name: string;
  /**
   * Exact paths this plugin serves without the bearer token, when one is set (e.g. `/healthz`, a page shell).
   * Only for responses that hold no data.
   */
  readonly publicPaths?: readonly string[];
  /**
   * The schema of `ctx.options`: config `plugins.<name>` is parsed with it before `setup` (a failure stops the
   * start with the schema's message). Without one the plugin takes no options.
   */
  readonly options?: z.ZodType<O>;
  setup(ctx: PluginContext<O>): void | Promise<void>;
}
