import {
  type Attributes,
  compiled,
  type Database,
  decodeAttributes,
  decodeExemplars,
  decodeResource,
  decodeScope,
  type Exemplar,
  type ResourceInfo,
  type ScopeInfo,
} from '@duckside/core';
import { batchRows, joinNanos, type MetricBatch } from '@duckside/core/ingest';

/** The five OTLP point kinds. */
export type PointKind = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';

/**
 * One stored data point in a comparable form: typed attributes, exact nanosecond times, kind-specific
 * fields in `data` (numbers as stored; `valueInt` as bigint).
 */
export interface StoredPoint {
  kind: PointKind;
  name: string;
  description: string;
  unit: string;
  service: string | null;
  symbol: string | null;
  resource: ResourceInfo;
  scope: ScopeInfo;
  attributes: Attributes;
  exemplars: Exemplar[];
  flags: number;
  time: bigint;
  start: bigint | null;
  data: Record<string, unknown>;
}

const SERIES = `name, unit, description, symbol, service, attributes, resource, scope, exemplars, flags,
  time_unix_nano, start_time_unix_nano, epoch_us(ts) AS ts_us`;
const TABLES: Record<string, string> = {
  trading_metrics: 'kind, temporality, is_monotonic, value, value_int',
  otel_histograms: 'temporality, count, sum, min, max, bucket_counts, explicit_bounds',
  otel_exp_histograms: `temporality, count, sum, min, max, scale, zero_count, zero_threshold, positive_offset,
    positive_bucket_counts, negative_offset, negative_bucket_counts`,
  otel_summaries: 'count, sum, quantiles, quantile_values',
};

/**
 * Reads every OTLP point back from the four metric tables (through SQL), sorted by {@link pointKey}.
 * Also checks that `ts` agrees with `time_unix_nano` (throws otherwise).
 */
export async function readStoredPoints(db: Database): Promise<StoredPoint[]> {
  const out: StoredPoint[] = [];
  for (const [table, columns] of Object.entries(TABLES)) {
    const rows = await db.all(
      compiled<Record<string, unknown>>(`SELECT ${SERIES}, ${columns} FROM ${table}`, []),
    );
    for (const row of rows) out.push(fromRow(table, row));
  }
  return sortPoints(out);
}

/** The points of a batch (before any database), in the same form as {@link readStoredPoints}. */
export function batchPoints(batch: MetricBatch): StoredPoint[] {
  const out: StoredPoint[] = [];
  for (const [table, rows] of Object.entries(batchRows(batch))) {
    for (const { ts, ...row } of rows) {
      for (const column of ['time_unix_nano', 'start_time_unix_nano']) {
        const split = row[column] as [number, number] | null;
        row[column] = split === null ? null : joinNanos(split[0], split[1]);
      }
      out.push(fromRow(table, { ...row, ts_us: ts }));
    }
  }
  return sortPoints(out);
}

/** Sorts points by {@link pointKey}. */
export function sortPoints(points: StoredPoint[]): StoredPoint[] {
  return points
    .map((p) => ({ p, k: pointKey(p) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ p }) => p);
}

/** A deterministic key of a point's identity and contents (object keys sorted). */
export function pointKey(p: StoredPoint): string {
  return canonical(p);
}

function canonical(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? 'undefined');
}

const numbers = (list: unknown) => (list as unknown[]).map(Number);

function fromRow(table: string, row: Record<string, unknown>): StoredPoint {
  const time = row.time_unix_nano as bigint;
  const tsMicros = BigInt(row.ts_us as number | bigint);
  if (tsMicros !== time / 1000n) throw new Error(`ts ${tsMicros} disagrees with time_unix_nano ${time}`);
  const base = {
    name: row.name as string,
    description: row.description as string,
    unit: row.unit as string,
    service: row.service as string | null,
    symbol: row.symbol as string | null,
    resource: decodeResource(row.resource as string),
    scope: decodeScope(row.scope as string),
    attributes: decodeAttributes(row.attributes as string),
    exemplars: decodeExemplars(row.exemplars as string | null),
    flags: Number(row.flags),
    time,
    start: row.start_time_unix_nano as bigint | null,
  };
  const distribution = () => ({
    temporality: Number(row.temporality),
    count: Number(row.count),
    sum: row.sum as number | null,
    min: row.min as number | null,
    max: row.max as number | null,
  });
  switch (table) {
    case 'trading_metrics':
      return {
        ...base,
        kind: Number(row.kind) === 1 ? 'gauge' : 'sum',
        data: {
          temporality: Number(row.temporality),
          isMonotonic: row.is_monotonic as boolean | null,
          value: row.value as number,
          valueInt: row.value_int === null ? null : BigInt(row.value_int as number | bigint),
        },
      };
    case 'otel_histograms':
      return {
        ...base,
        kind: 'histogram',
        data: {
          ...distribution(),
          bucketCounts: numbers(row.bucket_counts),
          explicitBounds: numbers(row.explicit_bounds),
        },
      };
    case 'otel_exp_histograms':
      return {
        ...base,
        kind: 'exponentialHistogram',
        data: {
          ...distribution(),
          scale: Number(row.scale),
          zeroCount: Number(row.zero_count),
          zeroThreshold: row.zero_threshold as number,
          positiveOffset: Number(row.positive_offset),
          positiveBucketCounts: numbers(row.positive_bucket_counts),
          negativeOffset: Number(row.negative_offset),
          negativeBucketCounts: numbers(row.negative_bucket_counts),
        },
      };
    default:
      return {
        ...base,
        kind: 'summary',
        data: {
          count: Number(row.count),
          sum: row.sum as number,
          quantiles: numbers(row.quantiles),
          quantileValues: numbers(row.quantile_values),
        },
      };
  }
}
