import { Database, type DatabaseOptions } from '@duckside/core';
import { diag } from '@opentelemetry/api';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { ExporterShutdownError, OptionsError } from './errors.ts';

/** The SDK's `ExportResult`, taken from the exporter interface so that no `@opentelemetry/core` import is needed. */
export type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];

const SUCCESS = 0 as ExportResult['code'];
const FAILED = 1 as ExportResult['code'];

/** Where an exporter stores: exactly one of `path` and `database`. */
export interface ExporterDatabaseOptions {
  /** Database file (or `:memory:`) the exporter opens, and closes on shutdown. */
  path?: string;
  /** Further options for opening `path` (pool, writer, memory limit...). */
  databaseOptions?: Omit<DatabaseOptions, 'path'>;
  /** An open core database owned by the caller: the exporter writes to it and never closes it. */
  database?: Database;
}

/**
 * What the metric and log exporters share: the database they open (or are given), exports that call back
 * exactly once and only after the commit, `forceFlush` waiting for in-flight writes, and a `shutdown` that
 * refuses new exports, drains, and closes a database the exporter opened.
 * @example
 * class MyExporter extends CommittingExporter {
 *   export(items: Item[], done: (r: ExportResult) => void) { this.exportWith((db) => db.insertX(items), done); }
 * }
 */
export abstract class CommittingExporter {
  private readonly database: Promise<Database>;
  private readonly ownsDatabase: boolean;
  private readonly inFlight = new Set<Promise<void>>();
  private shuttingDown: Promise<void> | undefined;

  constructor(options: ExporterDatabaseOptions) {
    if ((options.path === undefined) === (options.database === undefined)) {
      throw new OptionsError('give exactly one of `path` and `database`');
    }
    this.ownsDatabase = options.database === undefined;
    this.database = options.database
      ? Promise.resolve(options.database)
      : Database.open({ ...options.databaseOptions, path: options.path as string });
    // A failed open surfaces through `ready()` and as FAILED exports, never as an unhandled rejection.
    this.database.catch(() => undefined);
  }

  /** Resolves when the database is open; rejects with the open error. */
  async ready(): Promise<void> {
    await this.database;
  }

  /** Resolves when every export started so far has committed or failed. */
  async forceFlush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /**
   * Refuses new exports, waits for in-flight ones, then closes the database if the exporter opened it
   * (a database passed in as `database` stays open). Safe to call more than once.
   */
  shutdown(): Promise<void> {
    this.shuttingDown ??= this.doShutdown();
    return this.shuttingDown;
  }

  /**
   * Runs `write` on the database and calls `resultCallback` exactly once: SUCCESS after it resolved (the
   * data is committed), FAILED with the error otherwise, and FAILED at once after shutdown. Never throws.
   */
  protected exportWith(
    write: (db: Database) => Promise<void>,
    resultCallback: (result: ExportResult) => void,
  ): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        resultCallback(result);
      } catch (error) {
        diag.error(`${this.constructor.name}: the export result callback threw`, error);
      }
    };
    if (this.shuttingDown) {
      done({ code: FAILED, error: new ExporterShutdownError() });
      return;
    }
    const run = this.database.then(write).then(
      () => done({ code: SUCCESS }),
      (error: unknown) =>
        done({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    this.inFlight.add(run);
    void run.then(() => this.inFlight.delete(run));
  }

  private async doShutdown(): Promise<void> {
    await this.forceFlush();
    if (!this.ownsDatabase) return;
    const db = await this.database.catch(() => undefined);
    await db?.close();
  }
}
