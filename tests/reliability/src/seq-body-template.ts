import { type HrTime, ValueType } from '@opentelemetry/api';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** Name of the gauge whose values are the load generators' sequence numbers. */
export const SEQ_METRIC = 'reliability_seq';

/** Start times are this long before the point time. */
const START_OFFSET_NS = 60_000_000_000n;
const MARKER_TIME_NS = 1_234_567_890_000_000_000n;

/**
 * An OTLP/protobuf `ExportMetricsServiceRequest` with `points` gauge points, encoded once by the OpenTelemetry
 * SDK's own serializer, whose point values and times are then patched in place per request (so a load generator
 * is not limited by encoding). Each point's value is a unique sequence number, so a test can tell exactly which
 * points were stored.
 * @example
 * const template = new SeqBodyTemplate(100);
 * const body = template.fill(5_000); // values 5000..5099, times now .. now+99 ns
 */
export class SeqBodyTemplate {
  private readonly bytes: Buffer;
  private readonly valueOffsets: number[] = [];
  private readonly timeOffsets: number[] = [];
  private readonly startOffsets: number[] = [];

  constructor(
    readonly points: number,
    readonly metricName = SEQ_METRIC,
    readonly attributes: Record<string, string> = { symbol: 'BTC/USD' },
  ) {
    const markers = Array.from({ length: points }, (_, i) => markerValue(i));
    this.bytes = Buffer.from(encodeSeqRequest(metricName, markers, MARKER_TIME_NS, attributes));
    for (let i = 0; i < points; i++) {
      this.valueOffsets.push(uniqueOffset(this.bytes, doubleBytes(markers[i] as number)));
      this.timeOffsets.push(uniqueOffset(this.bytes, u64Bytes(MARKER_TIME_NS + BigInt(i))));
      this.startOffsets.push(
        uniqueOffset(this.bytes, u64Bytes(MARKER_TIME_NS + BigInt(i) - START_OFFSET_NS)),
      );
    }
  }

  /** A body whose point `i` has value `firstSeq + i` and time `timeNs + i` (default: now, in nanoseconds). */
  fill(firstSeq: number, timeNs: bigint = BigInt(Date.now()) * 1_000_000n): Buffer {
    const out = Buffer.from(this.bytes);
    for (let i = 0; i < this.points; i++) {
      const t = timeNs + BigInt(i);
      out.writeDoubleLE(firstSeq + i, this.valueOffsets[i] as number);
      out.writeBigUInt64LE(t, this.timeOffsets[i] as number);
      out.writeBigUInt64LE(t - START_OFFSET_NS, this.startOffsets[i] as number);
    }
    return out;
  }
}

/**
 * Encodes, with the OpenTelemetry SDK's protobuf serializer, one gauge whose point `i` has `values[i]`, time
 * `timeNs + i` and start time one minute earlier.
 * @example const bytes = encodeSeqRequest('reliability_seq', [1, 2, 3], 1_700_000_000_000_000_000n);
 */
export function encodeSeqRequest(
  name: string,
  values: readonly number[],
  timeNs: bigint,
  attributes: Record<string, string> = { symbol: 'BTC/USD' },
): Uint8Array {
  const request: ResourceMetrics = {
    resource: resourceFromAttributes({ 'service.name': 'reliability' }),
    scopeMetrics: [
      {
        scope: { name: 'duckside-reliability' },
        metrics: [
          {
            descriptor: { name, description: 'sequence numbers', unit: '1', valueType: ValueType.DOUBLE },
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPointType: DataPointType.GAUGE,
            dataPoints: values.map((value, i) => ({
              startTime: hrTime(timeNs + BigInt(i) - START_OFFSET_NS),
              endTime: hrTime(timeNs + BigInt(i)),
              attributes,
              value,
            })),
          },
        ],
      },
    ],
  };
  const bytes = ProtobufMetricsSerializer.serializeRequest(request);
  if (!bytes) throw new Error('the OpenTelemetry serializer returned nothing');
  return bytes;
}

function hrTime(ns: bigint): HrTime {
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/** A double that is not an integer and unlikely to appear anywhere else in the encoding. */
function markerValue(i: number): number {
  return -(0.7316524891 + i * 1e-7);
}

function doubleBytes(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return b;
}

function u64Bytes(value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return b;
}

function uniqueOffset(haystack: Buffer, needle: Buffer): number {
  const at = haystack.indexOf(needle);
  if (at < 0 || haystack.lastIndexOf(needle) !== at) throw new Error('a marker is not found exactly once');
  return at;
}
