import { context, type HrTime, TraceFlags, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';

const SPAN = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
};

/**
 * A LoggerProvider over `exporter` (batched, flushed by hand) that emits records with every body kind
 * (string, int, double, bool, bytes, array, kvlist, nested, none), every severity range, typed attributes,
 * nanosecond times, a span context and event names, in two exports; then shuts down.
 * @example await emitEveryLogKind(new RecordingLogExporter(new OTLPLogExporter({ url })));
 */
export async function emitEveryLogKind(exporter: LogRecordExporter): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({
      'service.name': 'oms',
      'service.instance.id': 'oms-1',
      'host.cores': 2,
    }),
    processors: [new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 3_600_000 })],
  });
  const logger = provider.getLogger('trading.oms', '2.1.0', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  });
  const other = provider.getLogger('risk');
  const bodies: unknown[] = [
    'order accepted',
    '',
    42,
    -2.5,
    true,
    new Uint8Array([0, 1, 254, 255]),
    ['a', 1, 1.5, false],
    { symbol: 'BTC/USD', qty: 3, px: 64_000.5, tags: ['x'], nested: { deep: [{ k: 'v' }] } },
    undefined,
  ];
  const severities = [
    SeverityNumber.TRACE,
    SeverityNumber.DEBUG2,
    SeverityNumber.INFO,
    SeverityNumber.WARN4,
    SeverityNumber.ERROR,
    SeverityNumber.FATAL3,
    SeverityNumber.UNSPECIFIED,
  ];
  const inSpan = trace.setSpanContext(context.active(), SPAN);
  bodies.forEach((body, i) => {
    logger.emit({
      timestamp: [1_700_000_000 + i, 123_456_789 + i] as HrTime,
      observedTimestamp: [1_700_000_001 + i, 987_654_321] as HrTime,
      severityNumber: severities[i % severities.length],
      severityText: i % 3 === 0 ? 'WARN' : '',
      body: body as never,
      attributes: { symbol: 'BTC/USD', depth: i, spread: 0.25, live: i % 2 === 0, venues: ['a', 'b'] },
      ...(i % 2 === 0 ? { context: inSpan } : {}),
      ...(i === 3 ? { eventName: 'order.rejected' } : {}),
    });
  });
  await provider.forceFlush();
  other.emit({ body: 'limit breached', severityNumber: SeverityNumber.ERROR2, severityText: 'ERROR' });
  logger.emit({ severityText: 'fatal', body: { code: 7 } });
  await provider.forceFlush();
  await provider.shutdown();
}
