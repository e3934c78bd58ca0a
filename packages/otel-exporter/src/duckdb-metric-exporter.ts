import { Database, type DatabaseOptions } from '@duckside/core';
import { diag } from '@opentelemetry/api';
import {
  type AggregationOption,
  type AggregationSelector,
  type AggregationTemporality,
  type AggregationTemporalitySelector,
  AggregationType,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { ExporterShutdownError, OptionsError } from './errors.ts';
import { MetricBatchMapper } from './metric-batch-mapper.ts';
import { type TemporalityPreference, temporalitySelector } from './temporality-preference.ts';

/** The SDK's `ExportResult`, taken from the exporter interface so that no `@opentelemetry/core` import is needed. */
export type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];

const SUCCESS = 0 as ExportResult['code'];
const FAILED = 1 as ExportResult['code'];
const DEFAULT_SLICE_ROWS = 1024;
const DEFAULT_AGGREGATION: AggregationOption = Object.freeze({ type: AggregationType.DEFAULT });

/** Options of {@link DuckDBMetricExporter}: exactly one of `path` and `database`. */
export interface DuckDBMetricExporterOptions {
  /** Database file (or `:memory:`) the exporter opens, and closes on shutdown. */
  path?: string;
  /** Further options for opening `path` (pool, writer, memory limit...). */
  databaseOptions?: Omit<DatabaseOptions, 'path'>;
  /** An open core database owned by the caller: the exporter writes to it and never closes it. */
  database?: Database;
  /** Temporality per instrument: a preference as in the OTLP exporters (default `cumulative`) or a selector. */
  temporalityPreference?: TemporalityPreference | AggregationTemporalitySelector;
  /** Aggregation per instrument type (default: the SDK's default aggregation). */
  aggregationSelector?: AggregationSelector;
  /**
   * Most points mapped and appended in one synchronous step (default 1024). An export with more points is
   * written in slices within one transaction, yielding to the event loop between slices.
   */
  sliceRows?: number;
}

/**
 * An OpenTelemetry `PushMetricExporter` that stores metrics in a Duckside DuckDB file, in the same tables and
 * columns as the sidecar's OTLP receiver. `export` never throws and calls back once: SUCCESS after the points
 * are committed, FAILED with the error otherwise (and always after shutdown). `shutdown` waits for in-flight
 * writes and then closes the database if the exporter opened it.
 * @example
 * const exporter = new DuckDBMetricExporter({ path: './data/metrics.duckdb', temporalityPreference: 'delta' });
 * const meterProvider = new MeterProvider({
 *   readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 10_000 })],
 * });
 */
export class DuckDBMetricExporter implements PushMetricExporter {
  private readonly database: Promise<Database>;
  private readonly ownsDatabase: boolean;
  private readonly temporality: AggregationTemporalitySelector;
  private readonly aggregation: AggregationSelector;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly mapper = new MetricBatchMapper();
  private readonly sliceRows: number;
  private shuttingDown: Promise<void> | undefined;

  constructor(options: DuckDBMetricExporterOptions) {
    if ((options.path === undefined) === (options.database === undefined)) {
      throw new OptionsError('give exactly one of `path` and `database`');
    }
    const preference = options.temporalityPreference;
    this.temporality = typeof preference === 'function' ? preference : temporalitySelector(preference);
    this.aggregation = options.aggregationSelector ?? (() => DEFAULT_AGGREGATION);
    this.sliceRows = options.sliceRows ?? DEFAULT_SLICE_ROWS;
    if (!(this.sliceRows >= 1)) throw new OptionsError('`sliceRows` must be at least 1');
    this.ownsDatabase = options.database === undefined;
    this.database = options.database
      ? Promise.resolve(options.database)
      : Database.open({ ...options.databaseOptions, path: options.path as string });
    // A failed open surfaces through `ready()` and as FAILED exports, never as an unhandled rejection.
    this.database.catch(() => undefined);
  }

  /**
   * Opens the database (when given a `path`) and resolves once it is ready.
   * @throws the open error, e.g. `DatabaseLockedError` when another process holds the file.
   * @example const exporter = await DuckDBMetricExporter.open({ path: './data/metrics.duckdb' });
   */
  static async open(options: DuckDBMetricExporterOptions): Promise<DuckDBMetricExporter> {
    const exporter = new DuckDBMetricExporter(options);
    await exporter.ready();
    return exporter;
  }

  /** Resolves when the database is open; rejects with the open error. */
  async ready(): Promise<void> {
    await this.database;
  }

  /**
   * Writes one collection of metrics; calls back exactly once, after the commit or with the failure.
   * Never throws.
   */
  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        resultCallback(result);
      } catch (error) {
        diag.error('DuckDBMetricExporter: the export result callback threw', error);
      }
    };
    if (this.shuttingDown) {
      done({ code: FAILED, error: new ExporterShutdownError() });
      return;
    }
    const write = this.write(metrics).then(
      () => done({ code: SUCCESS }),
      (error: unknown) =>
        done({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    this.inFlight.add(write);
    void write.then(() => this.inFlight.delete(write));
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

  /** The temporality for an instrument type (called by the SDK's metric reader). */
  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.temporality(instrumentType);
  }

  /** The aggregation for an instrument type (called by the SDK's metric reader). */
  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.aggregation(instrumentType);
  }

  private async write(metrics: ResourceMetrics): Promise<void> {
    const db = await this.database;
    await db.writeMetricBatches(this.mapper.slices(metrics, this.sliceRows));
  }

  private async doShutdown(): Promise<void> {
    await this.forceFlush();
    if (!this.ownsDatabase) return;
    const db = await this.database.catch(() => undefined);
    await db?.close();
  }
}
