import {
  type CandleRow,
  decodeAttributes,
  decodeAttributeValue,
  decodeResource,
  decodeScope,
  type EventRow,
  type MetricRow,
  nanosToIso,
  type PointRow,
  type TradeRow,
} from '@duckside/core';
import { TRADING_TRADES } from '@duckside/core/catalog';
import { MetricKind } from '@duckside/core/ingest';

const TEMPORALITY = ['unspecified', 'delta', 'cumulative'] as const;

/** The fields only points of `r`'s kind have, named as in OTLP/JSON. */
function kindFields(r: PointRow) {
  const start = r.start_time_unix_nano === null ? null : r.start_time_unix_nano.toString();
  const distribution = {
    startTimeUnixNano: start,
    temporality: TEMPORALITY[r.temporality ?? 0] ?? 'unspecified',
    count: r.count,
    sum: r.sum,
    min: r.min,
    max: r.max,
  };
  switch (r.point_kind) {
    case 'histogram':
      return { ...distribution, bucketCounts: r.bucket_counts, explicitBounds: r.explicit_bounds };
    case 'exponentialHistogram':
      return {
        ...distribution,
        scale: r.scale,
        zeroCount: r.zero_count,
        zeroThreshold: r.zero_threshold,
        positive: { offset: r.positive_offset, bucketCounts: r.positive_bucket_counts },
        negative: { offset: r.negative_offset, bucketCounts: r.negative_bucket_counts },
      };
    case 'summary':
      return {
        startTimeUnixNano: start,
        count: r.count,
        sum: r.sum,
        quantileValues: (r.quantiles ?? []).map((quantile, i) => ({
          quantile,
          value: r.quantile_values?.[i],
        })),
      };
    default:
      return { value: r.value };
  }
}

/**
 * A metric point of any kind as the API returns it: nanosecond RFC 3339 `timestamp`, exact `timeUnixNano` text,
 * typed `labels`, `kind` (gauge, sum, histogram, exponentialHistogram, summary) and the fields of that kind:
 * `value` for gauges and sums; `count`, `sum`, `min`, `max`, `temporality` and the buckets for histograms;
 * `count`, `sum` and `quantileValues` for summaries.
 * @example pointJson(row).timestamp // '2024-01-02T03:04:05.123456789Z'
 */
export function pointJson(r: PointRow) {
  return {
    timestamp: nanosToIso(r.time_unix_nano),
    timeUnixNano: r.time_unix_nano.toString(),
    name: r.name,
    ...kindFields(r),
    symbol: r.symbol,
    service: r.service,
    labels: decodeAttributes(r.attributes),
    kind: r.point_kind,
  };
}

/**
 * A gauge or sum point of `selectMetrics` in the shape of {@link pointJson}.
 * @example metricJson(row).kind // 'gauge'
 */
export function metricJson(r: MetricRow) {
  return {
    timestamp: nanosToIso(r.time_unix_nano),
    timeUnixNano: r.time_unix_nano.toString(),
    name: r.name,
    value: r.value,
    symbol: r.symbol,
    service: r.service,
    labels: decodeAttributes(r.attributes),
    kind: r.kind === MetricKind.Sum ? 'sum' : 'gauge',
  };
}

/** The trade columns with their API field names, from the catalog (`order_id` is `orderId`, `ts` is `timestamp`). */
const TRADE_FIELDS = TRADING_TRADES.columns.map((c) => [c.name as keyof TradeRow, c.field] as const);

/**
 * A trade as the API returns it (field names as in the ingest shape, from the catalog).
 * @example tradeJson(row).orderId
 */
export function tradeJson(r: TradeRow): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [name, field] of TRADE_FIELDS) json[field] = r[name];
  return json;
}

/**
 * A candle as the API returns it; `vwap` and `trades` are set for candles built from trades, `filled` for
 * gap-filled ones.
 * @example candleJson(row).close
 */
export function candleJson<R extends Pick<CandleRow, 'ts'>>(r: R) {
  const { ts, ...rest } = r;
  return { timestamp: ts, ...rest };
}

/**
 * A system event as the API returns it, with typed `attributes`; events that came as OTLP log records also
 * carry their record's fields (null for events posted as JSON): exact `timeUnixNano`/`observedTimeUnixNano`
 * text, the OTLP severity number and text, the typed `body`, `resource`, `scope`, ids, flags and event name.
 * @example eventJson(row).severity // 'warning'
 */
export function eventJson(r: EventRow) {
  return {
    id: r.id,
    timestamp: r.ts,
    severity: r.severity,
    source: r.source,
    message: r.message,
    attributes: decodeAttributes(r.attributes),
    timeUnixNano: r.time_unix_nano?.toString() ?? null,
    observedTimeUnixNano: r.observed_time_unix_nano?.toString() ?? null,
    severityNumber: r.severity_number,
    severityText: r.severity_text,
    body: decodeAttributeValue(r.body),
    resource: r.resource === null ? null : decodeResource(r.resource),
    scope: r.scope === null ? null : decodeScope(r.scope),
    traceId: r.trace_id,
    spanId: r.span_id,
    flags: r.flags,
    eventName: r.event_name,
    droppedAttributesCount: r.dropped_attributes_count,
  };
}
