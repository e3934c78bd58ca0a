/** Prometheus' metric types as `/api/v1/metadata` names them, by remote_write `MetricMetadata.MetricType` code. */
const TYPE_NAMES = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
] as const;

/** A metric type name of {@link TYPE_NAMES}. */
export type PrometheusMetricType = (typeof TYPE_NAMES)[number];

/** TYPE, HELP and UNIT of one metric family. */
export interface MetricFamilyMetadata {
  type: PrometheusMetricType;
  help: string;
  unit: string;
}

/** Most families remembered (a sender with more starts the map over; types then fall back to name rules). */
const MAX_FAMILIES = 100_000;

/**
 * The metric metadata remote_write senders send (`WriteRequest.metadata`), by family name, kept in memory: it
 * tells counters from gauges when samples arrive, and answers `/api/v1/metadata`. Senders repeat it
 * periodically (Prometheus every `metadata_config.send_interval`, 1 minute by default), so nothing is stored.
 * @example
 * const meta = new MetricMetadataStore();
 * meta.record('http_requests_total', 1, 'Requests.', '');
 * meta.typeOf('http_requests_total') // 'counter'
 */
export class MetricMetadataStore {
  private families = new Map<string, MetricFamilyMetadata>();
  /** Changes whenever a family's type may have changed (callers cache decisions made from {@link typeOf}). */
  version = 0;

  /** Records one family's metadata (a type code outside the enum counts as `unknown`). */
  record(family: string, typeCode: number, help: string, unit: string): void {
    const known = this.families.get(family);
    const type = TYPE_NAMES[typeCode] ?? 'unknown';
    if (known?.type === type && known.help === help && known.unit === unit) return;
    if (!known && this.families.size >= MAX_FAMILIES) {
      this.families = new Map();
      this.version++;
    }
    if (known?.type !== type) this.version++;
    this.families.set(family, { type, help, unit });
  }

  /**
   * The type of the family a series name belongs to: the name itself (Prometheus text format names a counter's
   * family `x_total`), else the name without `_total` (OpenMetrics: family `x`); undefined when unknown.
   */
  typeOf(name: string): PrometheusMetricType | undefined {
    const own = this.families.get(name);
    if (own) return own.type;
    return name.endsWith('_total') ? this.families.get(name.slice(0, -6))?.type : undefined;
  }

  /** Every family, sorted by name. */
  list(): Array<[string, MetricFamilyMetadata]> {
    return [...this.families].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
