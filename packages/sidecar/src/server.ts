import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Database } from '@duckside/core';
import { createAdaptorServer } from '@hono/node-server';
import { createApp, type SidecarApp } from './app.ts';
import type { SidecarConfig } from './config/config-schema.ts';
import { readTlsFiles } from './config/tls-files.ts';
import { type FaultSpec, parseFaults } from './http/faults.ts';
import { isLoopbackHost } from './http/loopback.ts';
import { openDatabase } from './open-database.ts';
import { ConfigError } from './plugin-api/errors.ts';
import type { DucksidePlugin } from './plugin-api/plugin.ts';
import { loadPluginModule } from './plugins/load-plugin-module.ts';
import { createLogger, type SidecarLogger } from './telemetry/logger.ts';
import { MetricsRegistry } from './telemetry/self-metrics.ts';

/** What {@link startServer} needs besides the config. */
export interface StartOptions {
  /** The parsed configuration (`loadConfig` or `configSchema.parse`). */
  config: SidecarConfig;
  logger?: SidecarLogger;
  /** Plugins set up after the built-in ones and the config's `pluginModules`. */
  plugins?: readonly DucksidePlugin<unknown>[];
  /** Environment consulted for `NODE_ENV=test` (fault injection) and `UV_THREADPOOL_SIZE`. */
  env?: NodeJS.ProcessEnv;
}

/** A listening sidecar. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  readonly port: number;
  readonly config: SidecarConfig;
  readonly db: Database;
  readonly app: SidecarApp;
  /**
   * Graceful stop: refuse new requests (503) and stop accepting connections, let requests in flight finish
   * (at most until `shutdownTimeout` minus 2 s), close the remaining connections, run plugin stop hooks, flush
   * writes, checkpoint and close the database. Safe to call twice.
   */
  shutdown(reason?: string): Promise<void>;
}

/** Time kept for stop hooks, flush and checkpoint out of the shutdown budget. */
const CLOSE_RESERVE_MS = 2000;
/** How long finished responses get to reach their clients before the remaining connections are cut. */
const RESPONSE_FLUSH_MS = 1000;

/**
 * Opens the database, builds the app from the built-in and user plugins, listens, and runs the start hooks.
 * @throws ConfigError (bad config, non-loopback host without a token), DatabaseLockedError (file held by another
 * process), PluginError, or the listen error (e.g. EADDRINUSE); the database is closed again on failure.
 * @example
 * const server = await startServer({ config: configSchema.parse({ port: 0, database: ':memory:' }) });
 * await fetch(`${server.url}/healthz`);
 * await server.shutdown();
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.log.level, format: 'json' });
  if (!isLoopbackHost(config.host) && config.token === undefined) {
    throw new ConfigError(
      `refusing to listen on ${config.host} without a token: set --token or DUCKSIDE_TOKEN (or listen on 127.0.0.1)`,
    );
  }
  const faults = faultSpec(config, env, logger);
  const userPlugins = [];
  for (const module of config.pluginModules) userPlugins.push(await loadPluginModule(module));

  const tls = readTlsFiles(config.tlsCert, config.tlsKey);
  const metrics = new MetricsRegistry();
  const db = await openDatabase(config, logger, metrics);
  let sidecar: SidecarApp;
  let server: ReturnType<typeof createAdaptorServer>;
  try {
    sidecar = await createApp({
      db,
      config,
      logger,
      metrics,
      plugins: [...userPlugins, ...(options.plugins ?? [])],
      ...(faults ? { faults } : {}),
    });
    server = tls
      ? createAdaptorServer({ fetch: sidecar.app.fetch, createServer: createHttpsServer, serverOptions: tls })
      : createAdaptorServer({ fetch: sidecar.app.fetch });
    await listen(server, config.port, config.host);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${config.tlsCert ? 'https' : 'http'}://${host}:${port}`;

  let stopping: Promise<void> | undefined;
  const shutdown = (reason = 'shutdown requested') => {
    stopping ??= (async () => {
      logger.info('shutting down', { reason, inFlight: sidecar.tracker.inFlight });
      sidecar.tracker.beginDrain();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const idle = await sidecar.tracker.waitIdle(Math.max(500, config.shutdownTimeout - CLOSE_RESERVE_MS));
      if (!idle) logger.warn('requests still in flight at the deadline; closing their connections');
      // Responses written while draining carry `Connection: close`, so their sockets close once sent; give them
      // a moment to flush, then cut whatever is left.
      const flushed = await Promise.race([
        closed.then(() => true),
        delay(idle ? RESPONSE_FLUSH_MS : 0, false, { ref: false }),
      ]);
      if (!flushed && 'closeAllConnections' in server) server.closeAllConnections();
      await closed;
      await sidecar.stop();
      await db.close();
      logger.info('stopped', { database: db.path });
    })();
    return stopping;
  };

  try {
    await sidecar.start();
  } catch (error) {
    await shutdown('a plugin failed to start');
    throw error;
  }
  logger.info('listening', {
    url,
    pid: process.pid,
    database: db.path,
    plugins: sidecar.plugins,
    auth: config.token !== undefined,
  });
  return { url, port, config, db, app: sidecar, shutdown };
}

function listen(server: ReturnType<typeof createAdaptorServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function faultSpec(
  config: SidecarConfig,
  env: NodeJS.ProcessEnv,
  logger: SidecarLogger,
): FaultSpec | undefined {
  if (config.faults.spec === '') return undefined;
  if (!config.faults.enabled && env.NODE_ENV !== 'test') {
    logger.warn(
      'fault injection is off: DUCKSIDE_FAULTS is ignored (NODE_ENV=test or --enable-fault-injection)',
    );
    return undefined;
  }
  const faults = parseFaults(config.faults.spec);
  logger.warn('FAULT INJECTION IS ON', { faults: config.faults.spec });
  return faults;
}
