import { DatabaseLockedError } from '@duckside/core';
import { helpText } from './config/help-text.ts';
import { loadConfig } from './config/load-config.ts';
import { ConfigError, PluginError } from './plugin-api/errors.ts';
import { SIDECAR_VERSION } from './plugin-api/version.ts';
import { type RunningServer, startServer } from './server.ts';
import { createLogger, type SidecarLogger } from './telemetry/logger.ts';

/** Exit codes of the `duckside` CLI. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * Runs the `duckside` CLI until the server stops; resolves the exit code. SIGTERM and SIGINT trigger a graceful
 * shutdown bounded by `shutdownTimeout` (exit 1 when it runs over); a second signal is only logged. When started
 * with an IPC channel (by the `bin.ts` launcher), the loss of that channel also shuts down.
 * @example process.exitCode = await main(process.argv.slice(2), process.env);
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command: ReturnType<typeof loadConfig>;
  try {
    command = loadConfig(argv, env);
  } catch (error) {
    process.stderr.write(`duckside: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  if (command.kind === 'help') {
    process.stdout.write(helpText(SIDECAR_VERSION));
    return EXIT.ok;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${SIDECAR_VERSION}\n`);
    return EXIT.ok;
  }
  const { config } = command;
  const pretty = config.log.format === 'pretty' || (config.log.format === 'auto' && process.stdout.isTTY);
  const logger = createLogger({ level: config.log.level, format: pretty ? 'pretty' : 'json' });
  for (const warning of command.warnings) logger.warn(warning);
  if (command.configFile) logger.info('configuration file read', { file: command.configFile });

  let server: RunningServer;
  try {
    server = await startServer({ config, logger, env });
  } catch (error) {
    return startupFailure(error, logger);
  }
  return waitForShutdown(server, logger);
}

function startupFailure(error: unknown, logger: SidecarLogger): number {
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof DatabaseLockedError) {
    logger.error(`cannot start: ${message}`, {
      code: error.code,
      path: error.path,
      holder: error.holder ?? null,
    });
    return EXIT.failure;
  }
  if (error instanceof ConfigError || error instanceof PluginError) {
    logger.error(`cannot start: ${message}`, { code: error.code });
    return EXIT.usage;
  }
  logger.error(`cannot start: ${message}`, { error });
  return EXIT.failure;
}

function waitForShutdown(server: RunningServer, logger: SidecarLogger): Promise<number> {
  return new Promise((resolve) => {
    let exitCode: number = EXIT.ok;
    let started = false;
    const stop = (reason: string, code: number = EXIT.ok) => {
      if (started) {
        // Ctrl-C reaches both the launcher (which forwards it) and this process: not worth a warning.
        logger.debug('already shutting down', { reason });
        return;
      }
      started = true;
      exitCode = code;
      const deadline = setTimeout(() => {
        logger.error('shutdown ran over its time limit; exiting without a clean close', {
          limitMs: server.config.shutdownTimeout,
        });
        resolve(EXIT.failure);
      }, server.config.shutdownTimeout);
      deadline.unref();
      server.shutdown(reason).then(
        () => {
          clearTimeout(deadline);
          resolve(exitCode);
        },
        (error: unknown) => {
          clearTimeout(deadline);
          logger.error('shutdown failed', { error });
          resolve(EXIT.failure);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    if (process.send !== undefined) process.on('disconnect', () => stop('launcher went away'));
    process.on('uncaughtException', (error) => {
      logger.error('uncaught exception', { error });
      stop('uncaught exception', EXIT.failure);
    });
    process.on('unhandledRejection', (error) => {
      logger.error('unhandled promise rejection', { error });
      stop('unhandled promise rejection', EXIT.failure);
    });
  });
}
