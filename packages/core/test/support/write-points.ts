import {
  encodeAttributes,
  MetricBatch,
  MetricKind,
  splitNanos,
  Temporality,
  type TemporalityCode,
} from '../../src/entries/ingest.ts';
import type { Attributes, Database } from '../../src/index.ts';

/** A scalar metric point as tests describe it. */
export interface TestPoint {
  name: string;
  /** Unix nanoseconds. */
  time: bigint;
  value: number;
  symbol?: string | null;
  service?: string | null;
  labels?: Attributes;
  temporality?: TemporalityCode;
  /** Unix nanoseconds of the counter's start. */
  start?: bigint | null;
  /** Resource JSON text (`{}` unless given). */
  resource?: string;
}

/**
 * Writes scalar points through a `MetricBatch` (so that service, temporality and start time can be set).
 * @example await writePoints(db, [{ name: 'x', time: 1_000n, value: 1, symbol: 'BTC' }]);
 */
export async function writePoints(db: Database, points: readonly TestPoint[]): Promise<void> {
  await db.writeMetricBatch(pointsBatch(points));
}

/**
 * Scalar points as a `MetricBatch`.
 * @example await db.writeMetricBatches([pointsBatch([a]), pointsBatch([b])].values());
 */
export function pointsBatch(points: readonly TestPoint[]): MetricBatch {
  const batch = new MetricBatch();
  for (const p of points) {
    const time = splitNanos(p.time);
    const start = p.start == null ? null : splitNanos(p.start);
    batch.pushScalar(
      {
        name: p.name,
        description: '',
        unit: '',
        service: p.service ?? null,
        resource: p.resource ?? '{}',
        scope: '{}',
      },
      {
        timeMicros: time.micros,
        timeNanos: time.nanos,
        startMicros: start?.micros ?? null,
        startNanos: start?.nanos ?? 0,
        attributes: encodeAttributes(p.labels ?? {}),
        symbol: p.symbol ?? null,
        exemplars: null,
        flags: 0,
        kind: p.temporality ? MetricKind.Sum : MetricKind.Gauge,
        temporality: p.temporality ?? Temporality.Unspecified,
        isMonotonic: p.temporality ? true : null,
        value: p.value,
        valueInt: null,
      },
    );
  }
  return batch;
}
