import { mulberry32 } from '../mulberry32.ts';
import { encodeLogsRequest } from './otel-proto.ts';

const SEVERITIES = [
  [5, 'DEBUG'],
  [9, 'INFO'],
  [9, 'INFO'],
  [9, 'INFO'],
  [13, 'WARN'],
  [17, 'ERROR'],
] as const;
const SOURCES = ['order-gateway', 'risk-engine', 'market-data'];
const MESSAGES = ['order accepted', 'order rejected: price band', 'quote stale', 'reconnect', 'fill'];

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/**
 * One OTLP/protobuf `ExportLogsServiceRequest` of `records` trading-service log records (3 services, severities
 * from DEBUG to ERROR, string bodies, 3 attributes, trace and span ids, observed times), deterministic for a seed;
 * times start at `startNanos` and step by 1 µs. For throughput benchmarks of the logs receivers.
 * @example const body = tradingLogsBody(1000, 1);
 */
export function tradingLogsBody(
  records: number,
  seed: number,
  startNanos = BigInt(Date.now()) * 1_000_000n,
): Uint8Array {
  const random = mulberry32(seed);
  const perService = Math.ceil(records / SOURCES.length);
  const resourceLogs = SOURCES.map((service, s) => ({
    resource: { attributes: [str('service.name', service), str('service.instance.id', `${service}-1`)] },
    scopeLogs: [
      {
        scope: { name: '@trading/logger', version: '1.0.0' },
        logRecords: Array.from({ length: Math.min(perService, records - s * perService) }, (_, i) => {
          const [severityNumber, severityText] =
            SEVERITIES[Math.floor(random() * SEVERITIES.length)] ?? SEVERITIES[0];
          const time = startNanos + BigInt((s * perService + i) * 1000);
          const trace = new Uint8Array(16).map(() => Math.floor(random() * 256));
          return {
            timeUnixNano: String(time),
            observedTimeUnixNano: String(time + 250_000n),
            severityNumber,
            severityText,
            body: { stringValue: MESSAGES[Math.floor(random() * MESSAGES.length)] },
            attributes: [
              str('symbol', ['BTC/USD', 'ETH/USD', 'SOL/USD'][i % 3] as string),
              str('venue', ['binance', 'coinbase'][i % 2] as string),
              { key: 'order.id', value: { intValue: String(1_000_000 + i) } },
            ],
            traceId: trace,
            spanId: trace.subarray(0, 8),
            flags: 1,
          };
        }),
      },
    ],
  }));
  return encodeLogsRequest({ resourceLogs });
}
