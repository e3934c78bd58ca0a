import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable } from '../../test/support/read-table.ts';
import { encodeAttributes } from '../attributes/attributes.ts';
import { encodeExemplars, encodeResource, encodeScope } from '../attributes/otlp-context.ts';
import { Database } from '../database/database.ts';
import { joinNanos } from '../time/index.ts';
import {
  EXP_HISTOGRAM_COLUMNS,
  type ExpHistogramPoint,
  HISTOGRAM_COLUMNS,
  type HistogramPoint,
  METRIC_COLUMNS,
  MetricBatch,
  MetricKind,
  type PointBase,
  type ScalarPoint,
  SERIES_COLUMNS,
  type SeriesContext,
  SUMMARY_COLUMNS,
  type SummaryPoint,
  Temporality,
} from './metric-batch.ts';

const NOW_MICROS = 1_704_164_645_123_456;

function series(name: string): SeriesContext {
  return {
    name,
    description: `${name} description`,
    unit: 'ms',
    service: 'oms',
    resource: encodeResource({
      attributes: { 'service.name': 'oms', 'host.cores': 8n },
      droppedAttributesCount: 1,
      schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
    }),
    scope: encodeScope({
      name: 'meter',
      version: '1.0',
      attributes: {},
      droppedAttributesCount: 0,
      schemaUrl: '',
    }),
  };
}

function base(i: number): PointBase {
  return {
    timeMicros: NOW_MICROS + i * 1_000_000,
    timeNanos: (i * 137) % 1000,
    startMicros: i % 2 === 0 ? null : NOW_MICROS - 60_000_000,
    startNanos: i % 2 === 0 ? 0 : 999,
    attributes: encodeAttributes({ symbol: 'BTC/USD', venue: 'kraken', depth: BigInt(i), ratio: i / 3 }),
    symbol: i % 3 === 0 ? null : 'BTC/USD',
    exemplars:
      i % 2 === 0
        ? null
        : encodeExemplars([
            {
              timeUnixNano: joinNanos(NOW_MICROS, 1),
              value: BigInt(i),
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              filteredAttributes: { 'http.route': '/orders' },
            },
          ]),
    flags: i % 2,
  };
}

/** The stored form of the shared columns, computed from the pushed values. */
function expectedBase(s: SeriesContext, p: PointBase): Record<string, unknown> {
  return {
    ts_us: BigInt(p.timeMicros),
    time_unix_nano: joinNanos(p.timeMicros, p.timeNanos),
    start_time_unix_nano: p.startMicros === null ? null : joinNanos(p.startMicros, p.startNanos),
    name: s.name,
    unit: s.unit,
    description: s.description,
    symbol: p.symbol,
    service: s.service,
    attributes: p.attributes,
    resource: s.resource,
    scope: s.scope,
    exemplars: p.exemplars,
    flags: p.flags,
  };
}

/** The stored form of a scalar point. */
function expectedScalar(s: SeriesContext, p: ScalarPoint): Record<string, unknown> {
  return {
    ...expectedBase(s, p),
    kind: p.kind,
    temporality: p.temporality,
    is_monotonic: p.isMonotonic,
    value: p.value,
    value_int: p.valueInt,
  };
}

/** The stored form of the fields histograms and exponential histograms share. */
function expectedDistribution(
  s: SeriesContext,
  p: HistogramPoint | ExpHistogramPoint,
): Record<string, unknown> {
  return {
    ...expectedBase(s, p),
    temporality: p.temporality,
    count: BigInt(p.count),
    sum: p.sum,
    min: p.min,
    max: p.max,
  };
}

const SHARED = `epoch_us(ts) AS ts_us, time_unix_nano, start_time_unix_nano, name, unit, description, symbol, service,
  attributes, resource, scope, exemplars, flags`;

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
});
afterAll(() => db.close());

describe('MetricBatch', () => {
  it('counts points per kind and only hands over non-empty tables', () => {
    const batch = new MetricBatch();
    expect(batch.size).toBe(0);
    expect(batch.toTables()).toEqual([]);
    batch.pushSummary(series('s'), { ...base(0), count: 1, sum: 1, quantiles: [0.5], quantileValues: [1] });
    batch.pushSummary(series('s'), { ...base(1), count: 1, sum: 1, quantiles: [0.5], quantileValues: [1] });
    expect(batch.size).toBe(2);
    expect(batch.counts).toEqual({ scalars: 0, histograms: 0, expHistograms: 0, summaries: 2 });
    // Two points with different attributes (two series), then a third point of the first series.
    batch.pushSummary(series('s'), { ...base(0), count: 2, sum: 2, quantiles: [0.5], quantileValues: [1] });
    expect(batch.toTables().map((t) => [t.table, t.length])).toEqual([
      ['metric_series', 2],
      ['summary_points', 3],
    ]);
    expect(batch.series.length).toBe(2);
  });

  it('lays columns out in the order of the tables (the appender writes by position)', async () => {
    const layouts = {
      metric_series: SERIES_COLUMNS,
      metric_points: METRIC_COLUMNS,
      histogram_points: HISTOGRAM_COLUMNS,
      exp_histogram_points: EXP_HISTOGRAM_COLUMNS,
      summary_points: SUMMARY_COLUMNS,
    };
    for (const [table, spec] of Object.entries(layouts)) {
      const columns = await readTable(
        db,
        'SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index',
        [table],
      );
      expect(
        spec.map((c) => c.name),
        table,
      ).toEqual(columns.map((c) => c.column_name));
    }
  });

  it('copies pushed fields, so one scratch point can be reused', async () => {
    const batch = new MetricBatch();
    const s = series('scratch');
    const scratch: ScalarPoint = {
      ...base(1),
      kind: MetricKind.Gauge,
      temporality: Temporality.Unspecified,
      isMonotonic: null,
      value: 1,
      valueInt: null,
    };
    for (let i = 0; i < 3; i++) {
      scratch.value = i * 10;
      scratch.timeMicros = NOW_MICROS + i;
      batch.pushScalar(s, scratch);
    }
    await db.writeMetricBatch(batch);
    const rows = await readTable(db, "SELECT value FROM trading_metrics WHERE name = 'scratch' ORDER BY ts");
    expect(rows).toEqual([{ value: 0 }, { value: 10 }, { value: 20 }]);
  });

  it('writes all four kinds in one call and reads every field back equal', async () => {
    const batch = new MetricBatch();
    const scalars: ScalarPoint[] = [
      {
        ...base(0),
        kind: MetricKind.Gauge,
        temporality: Temporality.Unspecified,
        isMonotonic: null,
        value: 42.5,
        valueInt: null,
      },
      {
        ...base(1),
        kind: MetricKind.Sum,
        temporality: Temporality.Cumulative,
        isMonotonic: true,
        value: 7,
        valueInt: 7n,
      },
      {
        ...base(2),
        kind: MetricKind.Sum,
        temporality: Temporality.Delta,
        isMonotonic: false,
        value: -9.2e18,
        valueInt: -(2n ** 63n),
      },
      {
        ...base(3),
        kind: MetricKind.Gauge,
        temporality: Temporality.Unspecified,
        isMonotonic: null,
        value: 9.2e18,
        valueInt: 2n ** 63n - 1n,
      },
    ];
    const histograms: HistogramPoint[] = [
      {
        ...base(0),
        temporality: Temporality.Cumulative,
        count: 10,
        sum: 123.5,
        min: 0.5,
        max: 99,
        bucketCounts: [1, 2, 3, 4],
        explicitBounds: [1, 10, 100],
      },
      {
        ...base(1),
        temporality: Temporality.Delta,
        count: Number.MAX_SAFE_INTEGER,
        sum: null,
        min: null,
        max: null,
        bucketCounts: [Number.MAX_SAFE_INTEGER],
        explicitBounds: [],
      },
    ];
    const expHistograms: ExpHistogramPoint[] = [
      {
        ...base(0),
        temporality: Temporality.Delta,
        count: 12,
        sum: 50,
        min: -3,
        max: 20,
        scale: -2,
        zeroCount: 2,
        zeroThreshold: 1e-9,
        positiveOffset: -3,
        positiveBucketCounts: [1, 0, 5],
        negativeOffset: 4,
        negativeBucketCounts: [4],
      },
      {
        ...base(1),
        temporality: Temporality.Cumulative,
        count: 0,
        sum: null,
        min: null,
        max: null,
        scale: 20,
        zeroCount: 0,
        zeroThreshold: 0,
        positiveOffset: 0,
        positiveBucketCounts: [],
        negativeOffset: 0,
        negativeBucketCounts: [],
      },
    ];
    const summaries: SummaryPoint[] = [
      {
        ...base(0),
        count: 100,
        sum: 4321.5,
        quantiles: [0, 0.5, 0.99, 1],
        quantileValues: [1, 40, 98.5, 120],
      },
      { ...base(1), count: 0, sum: 0, quantiles: [], quantileValues: [] },
    ];
    const s = series('all_kinds');
    for (const p of scalars) batch.pushScalar(s, p);
    for (const p of histograms) batch.pushHistogram(s, p);
    for (const p of expHistograms) batch.pushExpHistogram(s, p);
    for (const p of summaries) batch.pushSummary(s, p);
    expect(batch.counts).toEqual({ scalars: 4, histograms: 2, expHistograms: 2, summaries: 2 });
    await db.writeMetricBatch(batch);

    const where = "WHERE name = 'all_kinds' ORDER BY time_unix_nano";
    expect(
      await readTable(
        db,
        `SELECT ${SHARED}, kind, temporality, is_monotonic, value, value_int FROM trading_metrics ${where}`,
      ),
    ).toEqual(scalars.map((p) => expectedScalar(s, p)));
    expect(
      await readTable(
        db,
        `SELECT ${SHARED}, temporality, count, sum, min, max, bucket_counts, explicit_bounds FROM otel_histograms ${where}`,
      ),
    ).toEqual(
      histograms.map((p) => ({
        ...expectedDistribution(s, p),
        bucket_counts: p.bucketCounts.map(BigInt),
        explicit_bounds: p.explicitBounds,
      })),
    );
    expect(
      await readTable(
        db,
        `SELECT ${SHARED}, temporality, count, sum, min, max, scale, zero_count, zero_threshold, positive_offset,
           positive_bucket_counts, negative_offset, negative_bucket_counts FROM otel_exp_histograms ${where}`,
      ),
    ).toEqual(
      expHistograms.map((p) => ({
        ...expectedDistribution(s, p),
        scale: p.scale,
        zero_count: BigInt(p.zeroCount),
        zero_threshold: p.zeroThreshold,
        positive_offset: p.positiveOffset,
        positive_bucket_counts: p.positiveBucketCounts.map(BigInt),
        negative_offset: p.negativeOffset,
        negative_bucket_counts: p.negativeBucketCounts.map(BigInt),
      })),
    );
    expect(
      await readTable(
        db,
        `SELECT ${SHARED}, count, sum, quantiles, quantile_values FROM otel_summaries ${where}`,
      ),
    ).toEqual(
      summaries.map((p) => ({
        ...expectedBase(s, p),
        count: BigInt(p.count),
        sum: p.sum,
        quantiles: p.quantiles,
        quantile_values: p.quantileValues,
      })),
    );
  });

  it('round-trips arbitrary scalar points exactly (values, nanosecond times, attributes)', async () => {
    let run = 0;
    const point = fc.record({
      timeMicros: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      timeNanos: fc.integer({ min: 0, max: 999 }),
      startMicros: fc.option(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
      startNanos: fc.integer({ min: 0, max: 999 }),
      attributes: fc
        .dictionary(
          fc.string({ unit: 'binary' }),
          fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.double(),
            fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          ),
          {
            maxKeys: 4,
            noNullPrototype: true,
          },
        )
        .map(encodeAttributes),
      symbol: fc.option(fc.string({ unit: 'binary', minLength: 1 })),
      exemplars: fc.constant(null),
      flags: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      kind: fc.constantFrom(MetricKind.Gauge, MetricKind.Sum),
      temporality: fc.constantFrom(Temporality.Unspecified, Temporality.Delta, Temporality.Cumulative),
      isMonotonic: fc.option(fc.boolean()),
      value: fc.double(),
      valueInt: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(point, { minLength: 1, maxLength: 40 }), async (points) => {
        const s = { ...series(`prop_${run++}`), service: null };
        const batch = new MetricBatch();
        for (const p of points) batch.pushScalar(s, p);
        await db.writeMetricBatch(batch);
        const rows = await readTable(
          db,
          `SELECT ${SHARED}, kind, temporality, is_monotonic, value, value_int FROM metric_points p JOIN metric_series s USING (series_id) WHERE name = ? ORDER BY p.rowid`,
          [s.name],
        );
        expect(rows).toEqual(points.map((p) => expectedScalar(s, p)));
      }),
      { numRuns: 40 },
    );
  });
});
