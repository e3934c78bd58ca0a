import type { Counter, SelfMetrics } from '../../plugin-api/plugin.ts';

/** What one upstream reports to the forward plugin's metrics. */
export interface UpstreamGauges {
  readonly id: string;
  /** Bytes queued and not yet delivered. */
  readonly queuedBytes: number;
  /** Age of the oldest undelivered request in seconds (0 when none waits). */
  readonly lagSeconds: number;
}

/** The forward plugin's counters, labelled by `upstream` (and `signal` or `reason`). */
export interface ForwardCounters {
  /** Requests queued, by upstream and signal. */
  queued: Counter;
  /** Queued requests delivered (2xx), by upstream and signal. */
  sent: Counter;
  /** Failed attempts that will be retried, by upstream and reason (HTTP status or `network`). */
  retries: Counter;
  /** Requests dropped, by upstream and reason (`queue_full`, `rejected`, `corrupt`, `queue_error`). */
  dropped: Counter;
  /** Bytes of the dropped requests, by upstream and reason. */
  droppedBytes: Counter;
  /** Requests with nothing left for an upstream after its filter, by upstream and signal. */
  filtered: Counter;
}

/**
 * Registers the forward plugin's metrics: counters, and gauges read from the upstreams at each scrape.
 * @example const counters = forwardMetrics(ctx.metrics, () => forwarders.map((f) => f.gauges));
 */
export function forwardMetrics(metrics: SelfMetrics, gauges: () => UpstreamGauges[]): ForwardCounters {
  metrics.gauge('duckside_forward_queue_bytes', 'Bytes queued for an upstream and not yet delivered', () =>
    gauges().map((g) => ({ labels: { upstream: g.id }, value: g.queuedBytes })),
  );
  metrics.gauge('duckside_forward_lag_seconds', 'Age of the oldest request not yet delivered upstream', () =>
    gauges().map((g) => ({ labels: { upstream: g.id }, value: g.lagSeconds })),
  );
  return {
    queued: metrics.counter('duckside_forward_queued_requests_total', 'OTLP requests queued for an upstream'),
    sent: metrics.counter(
      'duckside_forward_sent_requests_total',
      'Queued OTLP requests an upstream accepted (2xx; several may share one upstream request)',
    ),
    retries: metrics.counter(
      'duckside_forward_retries_total',
      'Upstream attempts that failed and are retried, by reason (HTTP status or network)',
    ),
    dropped: metrics.counter(
      'duckside_forward_dropped_requests_total',
      'OTLP requests not delivered upstream, by reason (queue_full, rejected, corrupt, queue_error)',
    ),
    droppedBytes: metrics.counter('duckside_forward_dropped_bytes_total', 'Bytes of the dropped requests'),
    filtered: metrics.counter(
      'duckside_forward_filtered_requests_total',
      "OTLP requests of which an upstream's filter left nothing",
    ),
  };
}
