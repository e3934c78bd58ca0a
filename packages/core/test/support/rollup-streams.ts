import fc from 'fast-check';
import {
  emptyHistogramPoint,
  encodeAttributes,
  MetricBatch,
  splitNanos,
  Temporality,
  type TemporalityCode,
} from '../../src/entries/ingest.ts';
import type { Database, TradeInput } from '../../src/index.ts';
import { type TestPoint, writePoints } from './write-points.ts';

/** Start of the generated streams: an hour boundary (unix ms). */
export const STREAM_BASE_MS = Date.UTC(2024, 2, 1);
/** Length of the generated streams: six hours (ms). */
export const STREAM_SPAN_MS = 6 * 3_600_000;

/**
 * The series points are drawn from: two share a stream (they differ only by resource, which a counter's reset
 * window ignores), one has another symbol, one a label.
 */
const SERIES = [
  { symbol: 'A', resource: '{"attributes":{"host":"h1"}}', labels: {} },
  { symbol: 'A', resource: '{"attributes":{"host":"h2"}}', labels: {} },
  { symbol: 'B', resource: '{}', labels: {} },
  { symbol: 'A', resource: '{}', labels: { side: 'buy' } },
] as const;

const STARTS = [
  null,
  BigInt(STREAM_BASE_MS - 3_600_000) * 1_000_000n,
  BigInt(STREAM_BASE_MS + 7_200_000) * 1_000_000n,
];

/** An explicit-bucket histogram point of metric `h` as the generator makes it. */
export interface TestHistogram {
  series: number;
  time: bigint;
  temporality: TemporalityCode;
  start: bigint | null;
  bounds: number[];
  counts: number[];
}

/** One write of a generated history: points, histograms and trades, and whether the maintenance step runs after. */
export interface StreamWrite {
  points: TestPoint[];
  histograms: TestHistogram[];
  trades: TradeInput[];
  catchUp: boolean;
}

const BOUNDS = [
  [1, 5, 10],
  [2, 4],
];

/** Random microsecond offsets into the span, all distinct (raw answers are only defined for distinct times). */
const offsets = (max: number) =>
  fc.uniqueArray(fc.integer({ min: 0, max: STREAM_SPAN_MS * 1000 - 1 }), { minLength: 1, maxLength: max });

/**
 * A random history of scalar points (gauges, cumulative counters with falls and start-time changes, delta points,
 * exact duplicates) and trades over six hours, shuffled into writes of random size (late and out-of-order data;
 * a random share of them first in time order, as live ingest sends them, so steps merge into stored buckets),
 * with the maintenance step run after some of them.
 */
export function historyArbitrary(maxPoints = 300): fc.Arbitrary<StreamWrite[]> {
  const point = fc.record({
    series: fc.integer({ min: 0, max: SERIES.length - 1 }),
    value: fc.integer({ min: 0, max: 1000 }),
    temporality: fc.constantFrom(
      Temporality.Cumulative,
      Temporality.Cumulative,
      Temporality.Delta,
      Temporality.Unspecified,
    ),
    start: fc.integer({ min: 0, max: STARTS.length - 1 }),
  });
  const trade = fc.record({
    symbol: fc.constantFrom('A', 'B'),
    venue: fc.constantFrom('v1', 'v2'),
    price: fc.integer({ min: 1, max: 400 }).map((p) => p / 4),
    quantity: fc.integer({ min: 1, max: 40 }).map((q) => q / 4),
  });
  const histogram = fc.record({
    series: fc.integer({ min: 0, max: SERIES.length - 1 }),
    temporality: fc.constantFrom(
      Temporality.Cumulative,
      Temporality.Cumulative,
      Temporality.Delta,
      Temporality.Unspecified,
    ),
    start: fc.integer({ min: 0, max: STARTS.length - 1 }),
    bounds: fc.integer({ min: 0, max: BOUNDS.length - 1 }),
    counts: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 4, maxLength: 4 }),
  });
  return fc
    .record({
      histTimes: offsets(maxPoints / 2),
      histFields: fc.array(histogram, { minLength: maxPoints / 2, maxLength: maxPoints / 2 }),
      pointTimes: offsets(maxPoints),
      pointFields: fc.array(point, { minLength: maxPoints, maxLength: maxPoints }),
      tradeTimes: offsets(maxPoints / 2),
      tradeFields: fc.array(trade, { minLength: maxPoints / 2, maxLength: maxPoints / 2 }),
      duplicates: fc.array(fc.nat(), { maxLength: 20 }),
      order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      cuts: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      // How many points come in time order (as live ingest sends them) before the shuffled, late rest.
      inOrder: fc.constantFrom(0, 0.5, 0.9),
    })
    .map(
      ({
        pointTimes,
        pointFields,
        histTimes,
        histFields,
        tradeTimes,
        tradeFields,
        duplicates,
        inOrder,
        order,
        cuts,
      }) => {
        const points: TestPoint[] = pointTimes.map((t, i) => {
          const f = pointFields[i % pointFields.length]!;
          const s = SERIES[f.series]!;
          return {
            name: 'm',
            time: BigInt(STREAM_BASE_MS) * 1_000_000n + BigInt(t) * 1000n,
            value: f.value,
            symbol: s.symbol,
            service: 'svc',
            labels: s.labels,
            resource: s.resource,
            temporality: f.temporality,
            start: STARTS[f.start] ?? null,
          };
        });
        for (const d of duplicates) points.push({ ...points[d % points.length]! });
        const histograms: TestHistogram[] = histTimes.map((t, i) => {
          const f = histFields[i % histFields.length]!;
          const bounds = BOUNDS[f.bounds]!;
          return {
            series: f.series,
            time: BigInt(STREAM_BASE_MS) * 1_000_000n + BigInt(t) * 1000n,
            temporality: f.temporality,
            start: STARTS[f.start] ?? null,
            bounds,
            counts: f.counts.slice(0, bounds.length + 1),
          };
        });
        for (const d of duplicates) histograms.push({ ...histograms[d % histograms.length]! });
        const trades: TradeInput[] = tradeTimes.map((t, i) => ({
          timestamp: new Date(STREAM_BASE_MS + t / 1000)
            .toISOString()
            .replace('Z', `${String(t % 1000).padStart(3, '0')}Z`),
          side: 'buy',
          ...tradeFields[i % tradeFields.length]!,
        }));
        // Eight writes, each a random slice of a shuffled history.
        const shuffle = <T>(items: T[], time: (item: T) => string | bigint) => {
          const shuffled = items
            .map((item, i) => ({ item, key: (order[i % order.length]! * 7919 + i * 104_729) % 1_000_003 }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.item);
          // The first share of the shuffled items, sorted by time, leads; the rest follows as late data.
          const lead = shuffled.slice(0, Math.floor(shuffled.length * inOrder));
          lead.sort((a, b) => (time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : 0));
          return [...lead, ...shuffled.slice(lead.length)];
        };
        const p = shuffle(points, (x) => x.time);
        const tr = shuffle(trades, (x) => String(x.timestamp));
        const hs = shuffle(histograms, (x) => x.time);
        const slice = <T>(items: T[], i: number) =>
          items.slice(Math.floor((i * items.length) / 8), Math.floor(((i + 1) * items.length) / 8));
        return cuts.map((catchUp, i) => ({
          points: slice(p, i),
          histograms: slice(hs, i),
          trades: slice(tr, i),
          catchUp,
        }));
      },
    );
}

/** Writes a generated history, running the maintenance step where it says. */
export async function writeHistory(db: Database, writes: readonly StreamWrite[]): Promise<void> {
  for (const w of writes) {
    if (w.points.length > 0) await writePoints(db, w.points);
    if (w.histograms.length > 0) await db.writeMetricBatch(histogramBatch(w.histograms));
    if (w.trades.length > 0) await db.insertTrades(w.trades);
    if (w.catchUp) await db.catchUpRollups();
  }
}

/** ISO text of a time `ms` after the streams' start. */
export const at = (ms: number) => new Date(STREAM_BASE_MS + ms).toISOString();

/** Generated histogram points (metric `h`) as a batch. */
function histogramBatch(points: readonly TestHistogram[]): MetricBatch {
  const batch = new MetricBatch();
  for (const h of points) {
    const s = SERIES[h.series]!;
    const time = splitNanos(h.time);
    const start = h.start === null ? null : splitNanos(h.start);
    batch.pushHistogram(
      { name: 'h', unit: 'ms', description: '', service: 'svc', resource: s.resource, scope: '{}' },
      {
        ...emptyHistogramPoint(h.temporality),
        timeMicros: time.micros,
        timeNanos: time.nanos,
        startMicros: start?.micros ?? null,
        startNanos: start?.nanos ?? 0,
        attributes: encodeAttributes(s.labels),
        symbol: s.symbol,
        count: h.counts.reduce((a, b) => a + b, 0),
        bucketCounts: h.counts,
        explicitBounds: h.bounds,
      },
    );
  }
  return batch;
}
