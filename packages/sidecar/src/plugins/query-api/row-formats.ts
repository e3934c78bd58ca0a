import {
  type CandleRow,
  decodeAttributes,
  decodeAttributeValue,
  decodeResource,
  decodeScope,
  type EventRow,
  type MetricRow,
  nanosToIso,
  type TradeRow,
} from '@duckside/core';
import { TRADING_TRADES } from '@duckside/core/catalog';
import { MetricKind } from '@duckside/core/ingest';

/**
 * A metric point as the API returns it: nanosecond RFC 3339 `timestamp`, exact `timeUnixNano` text, typed
 * `labels`.
 * @example metricJson(row).timestamp // '2024-01-02T03:04:05.123456789Z'
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
