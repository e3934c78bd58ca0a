import type { Database } from '@duckside/core';
import type { CommittedExport, Counter, Logger, OtlpExportHooks } from '../plugin-api/plugin.ts';
import type { DecodedExport, OtlpSignal } from './otlp-signals.ts';

/** Where decoded OTLP exports go, and the counters that track them (shared by the HTTP and gRPC receivers). */
export interface ExportStore {
  db: Database;
  logger: Logger;
  /** Items (data points, log records) committed, by signal. */
  ingested: Counter;
  /** Items refused (partial success), by signal. */
  rejected: Counter;
  /** Told of every request with committed items, after the commit and before the answer. */
  hooks: OtlpExportHooks;
}

/**
 * Commits the storable items of a decoded export request (resolving once they are committed) and counts
 * them, runs the commit hooks with the request (the one place after the commit that every receiver passes
 * through before it answers), and counts and logs the rejected items.
 * @throws what the database write throws (e.g. `OverloadedError` when the write queue is full).
 * @example await storeExport(store, OTLP_SIGNALS.metrics.decodeProtobuf(body), { signal: 'metrics', encoding: 'protobuf', body });
 */
export async function storeExport(
  store: ExportStore,
  decoded: DecodedExport,
  request: CommittedExport,
): Promise<void> {
  const signal: OtlpSignal = request.signal;
  const labels = { signal };
  if (decoded.size > 0) {
    await decoded.write(store.db);
    store.ingested.inc(decoded.size, labels);
    if (store.hooks.active) await store.hooks.committed(request);
  }
  if (decoded.rejected > 0) {
    store.rejected.inc(decoded.rejected, labels);
    store.logger.warn(`otlp ${signal} rejected`, {
      rejected: decoded.rejected,
      reason: decoded.rejectReason,
    });
  }
}

/**
 * The counters of an {@link ExportStore}, registered once per registry (the HTTP and gRPC receivers share them).
 * @example const store = { db, logger, ...exportStoreCounters(ctx.metrics) };
 */
export function exportStoreCounters(metrics: {
  counter(name: string, help: string): Counter;
}): Pick<ExportStore, 'ingested' | 'rejected'> {
  return {
    ingested: metrics.counter(
      'duckside_otlp_points_ingested_total',
      'OTLP items committed, by signal (data points for metrics, log records for logs)',
    ),
    rejected: metrics.counter(
      'duckside_otlp_points_rejected_total',
      'OTLP items rejected because they cannot be stored (reported as partial success), by signal',
    ),
  };
}
