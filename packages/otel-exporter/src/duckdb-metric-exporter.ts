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
import {
  CommittingExporter,
  type ExporterDatabaseOptions,
  type ExportResult,
} from './committing-exporter.ts';
import { OptionsError } from './errors.ts';
import { MetricBatchMapper } from './metric-batch-mapper.ts';
import { type TemporalityPreference, temporalitySelector } from './temporality-preference.ts';

const DEFAULT_SLICE_ROWS = 1024;
const DEFAULT_AGGREGATION: AggregationOption = Object.freeze({ type: AggregationType.DEFAULT });

/** Options of {@link DuckDBMetricExporter}: exactly one of `path` and `database`. */
export interface DuckDBMetricExporterOptions extends ExporterDatabaseOptions {
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
export class DuckDBMetricExporter extends CommittingExporter implements PushMetricExporter {
  private readonly temporality: AggregationTemporalitySelector;
  private readonly aggregation: AggregationSelector;
  private readonly mapper = new MetricBatchMapper();
  private readonly sliceRows: number;

  constructor(options: DuckDBMetricExporterOptions) {
    super(options);
    const preference = options.temporalityPreference;
    this.temporality = typeof preference === 'function' ? preference : temporalitySelector(preference);
    this.aggregation = options.aggregationSelector ?? (() => DEFAULT_AGGREGATION);
    this.sliceRows = options.sliceRows ?? DEFAULT_SLICE_ROWS;
    if (!(this.sliceRows >= 1)) throw new OptionsError('`sliceRows` must be at least 1');
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

  /**
   * Writes one collection of metrics; calls back exactly once, after the commit or with the failure.
   * Never throws.
   */
  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.exportWith(
      (db) => db.writeMetricBatches(this.mapper.slices(metrics, this.sliceRows)),
      resultCallback,
    );
  }

  /** The temporality for an instrument type (called by the SDK's metric reader). */
  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.temporality(instrumentType);
  }

  /** The aggregation for an instrument type (called by the SDK's metric reader). */
  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.aggregation(instrumentType);
  }
}
