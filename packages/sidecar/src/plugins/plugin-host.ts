import type { Database } from '@duckside/core';
import type { Hono } from 'hono';
import { PluginError } from '../plugin-api/errors.ts';
import type {
  DucksidePlugin,
  Logger,
  OtlpExportHooks,
  PluginContext,
  PluginQueries,
  RequestStatus,
  SelfMetrics,
} from '../plugin-api/plugin.ts';

/** What every plugin's context shares. */
export interface PluginHostDeps {
  app: Hono;
  db: Database;
  logger: Logger & { child?(fields: Record<string, unknown>): Logger };
  metrics: SelfMetrics;
  queries: PluginQueries;
  requests: RequestStatus;
  /** The shared hooks on committed OTLP exports. */
  otlp: OtlpExportHooks;
  /** Raw options by plugin name (see `pluginOptions`), parsed by each plugin's schema. */
  options: Readonly<Record<string, Record<string, unknown>>>;
}

type Hook = { plugin: string; fn: () => void | Promise<void> };

const PLUGIN_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/**
 * Sets plugins up in order (unique names), then runs their start hooks after the server listens and their stop
 * hooks, in reverse order, at shutdown.
 * @example
 * const host = new PluginHost({ app, db, logger, metrics, queries, requests: tracker, otlp: new ExportHooks(logger), options: {} });
 * await host.register([healthPlugin]);
 * await host.start(); // ... await host.stop();
 */
export class PluginHost {
  private readonly registered: string[] = [];
  private readonly startHooks: Hook[] = [];
  private readonly stopHooks: Hook[] = [];

  constructor(private readonly deps: PluginHostDeps) {}

  /** Names of the plugins set up so far, in order. */
  get names(): readonly string[] {
    return this.registered;
  }

  /**
   * Validates each plugin, parses its options with its schema and runs its `setup`.
   * @throws PluginError for a malformed plugin, a duplicate name, invalid options or a failing setup.
   */
  async register(plugins: readonly DucksidePlugin<unknown>[]): Promise<void> {
    for (const plugin of plugins) {
      assertPlugin(plugin);
      if (this.registered.includes(plugin.name)) {
        throw new PluginError(plugin.name, 'another plugin already has this name');
      }
      const logger = this.deps.logger.child?.({ plugin: plugin.name }) ?? this.deps.logger;
      const ctx: PluginContext<unknown> = {
        app: this.deps.app,
        db: this.deps.db,
        logger,
        metrics: this.deps.metrics,
        queries: this.deps.queries,
        requests: this.deps.requests,
        otlp: this.deps.otlp,
        options: parseOptions(plugin, this.deps.options[plugin.name] ?? {}, logger),
        onStart: (fn) => {
          this.startHooks.push({ plugin: plugin.name, fn });
        },
        onStop: (fn) => {
          this.stopHooks.push({ plugin: plugin.name, fn });
        },
      };
      try {
        await plugin.setup(ctx);
      } catch (error) {
        throw new PluginError(plugin.name, `setup failed: ${(error as Error)?.message ?? error}`, {
          cause: error,
        });
      }
      this.registered.push(plugin.name);
    }
  }

  /**
   * Runs the start hooks in registration order.
   * @throws PluginError when one fails.
   */
  async start(): Promise<void> {
    for (const hook of this.startHooks) {
      try {
        await hook.fn();
      } catch (error) {
        throw new PluginError(hook.plugin, `start failed: ${(error as Error)?.message ?? error}`, {
          cause: error,
        });
      }
    }
  }

  /** Runs the stop hooks in reverse order; a failing hook is logged and the others still run. */
  async stop(): Promise<void> {
    for (const hook of [...this.stopHooks].reverse()) {
      try {
        await hook.fn();
      } catch (error) {
        this.deps.logger.error('plugin stop hook failed', { plugin: hook.plugin, error });
      }
    }
  }
}

/** The plugin's options parsed by its schema (frozen); `{}` for a plugin without one, which takes none. */
function parseOptions(
  plugin: DucksidePlugin<unknown>,
  raw: Record<string, unknown>,
  logger: Logger,
): unknown {
  if (plugin.options === undefined) {
    if (Object.keys(raw).length > 0) {
      logger.warn('options ignored: the plugin declares no options schema', { keys: Object.keys(raw) });
    }
    return Object.freeze({});
  }
  const parsed = plugin.options.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`,
    );
    throw new PluginError(
      plugin.name,
      `invalid options (config plugins.${plugin.name}): ${issues.join('; ')}`,
    );
  }
  return Object.freeze(parsed.data);
}

/**
 * Checks that a value looks like a {@link DucksidePlugin}.
 * @throws PluginError otherwise.
 */
export function assertPlugin(value: unknown, origin = 'plugin'): asserts value is DucksidePlugin<unknown> {
  const p = value as Partial<DucksidePlugin<unknown>> | null;
  if (p === null || typeof p !== 'object') throw new PluginError(origin, 'is not an object');
  if (typeof p.name !== 'string' || !PLUGIN_NAME.test(p.name)) {
    throw new PluginError(origin, 'needs a name of 1..64 letters, digits, ".", "_" or "-"');
  }
  if (typeof p.setup !== 'function') throw new PluginError(p.name, 'needs a setup(ctx) function');
  if (p.options !== undefined && typeof (p.options as { safeParse?: unknown }).safeParse !== 'function') {
    throw new PluginError(p.name, 'options must be a zod schema');
  }
}
