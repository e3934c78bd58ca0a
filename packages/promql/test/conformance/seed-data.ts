import {
  emptyHistogramPoint,
  emptyScalarPoint,
  emptySeriesContext,
  encodeAttributes,
  encodeResource,
  MetricBatch,
  MetricKind,
  Temporality,
} from '@duckside/core/ingest';
import { mulberry32 } from '@duckside/testkit';
import { formatSampleValue } from '../../src/index.ts';

/** The seeded data set's first sample time (ms, whole seconds: OpenMetrics timestamps are seconds). */
export const T0 = 1_700_000_000_000;
/** Length of the data set. */
export const SPAN_MS = 2 * 3600_000;

const SERVICES = ['oms', 'risk', 'gateway'];
const INSTANCES = ['a', 'b'];
const SYMBOLS = ['BTC/USD', 'ETH/USD', 'SOL/USD'];
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One seeded series: OTLP identity, the Prometheus labels it must get, and its samples. */
interface SeededSeries {
  otlpName: string;
  unit: string;
  kind: 'counter' | 'gauge';
  service: string;
  instance: string;
  symbol: string;
  attributes: Record<string, string>;
  promName: string;
  samples: [ms: number, value: number][];
}

interface SeededHistogram extends Omit<SeededSeries, 'kind' | 'samples'> {
  samples: { ms: number; counts: number[]; sum: number }[];
}

/** The whole seeded data set. */
export interface SeedData {
  scalars: SeededSeries[];
  histograms: SeededHistogram[];
}

/** Sample times every ~15 s with jitter, and a gap longer than the lookback in some series. */
function times(random: () => number, gap: boolean, stopEarly: boolean): number[] {
  const out: number[] = [];
  const end = stopEarly ? T0 + SPAN_MS * 0.6 : T0 + SPAN_MS;
  for (let t = T0 + Math.floor(random() * 10) * 1000; t < end; t += (12 + Math.floor(random() * 7)) * 1000) {
    if (gap && t > T0 + 40 * 60_000 && t < T0 + 52 * 60_000) continue;
    out.push(t);
  }
  return out;
}

/**
 * Builds the data set deterministically from a seed: counters with resets (`orders_total`, `fills_total`),
 * gauges (`spread_bps`, `inventory`), a classic histogram (`order_latency_seconds`), over three services, two
 * instances and three symbols, with gaps longer than the lookback and series that stop early.
 * @example const data = seedData(42);
 */
export function seedData(seed: number): SeedData {
  const random = mulberry32(seed);
  const scalars: SeededSeries[] = [];
  const histograms: SeededHistogram[] = [];
  let n = 0;
  for (const service of SERVICES) {
    for (const instance of INSTANCES) {
      for (const symbol of SYMBOLS) {
        n++;
        const base = { service, instance, symbol };
        const side = n % 2 === 0 ? 'buy' : 'sell';
        for (const [otlpName, promName, unit] of [
          ['orders', 'orders_total', ''],
          ['trade.fills', 'trade_fills_total', ''],
        ] as const) {
          let v = Math.floor(random() * 100);
          const samples: [number, number][] = times(random, n % 5 === 0, n % 7 === 0).map((t) => {
            if (random() < 0.03) v = Math.floor(random() * 5);
            else v += Math.floor(random() * 20) + (random() < 0.2 ? 0.5 : 0);
            return [t, v];
          });
          scalars.push({ ...base, otlpName, promName, unit, kind: 'counter', attributes: { side }, samples });
        }
        for (const [otlpName, promName, unit, scale] of [
          ['spread', 'spread_bps', 'bps', 10],
          ['inventory', 'inventory', '', 1000],
        ] as const) {
          const samples: [number, number][] = times(random, n % 4 === 0, n % 6 === 0).map((t) => [
            t,
            Math.round((random() - 0.3) * scale * 1e6) / 1e6,
          ]);
          scalars.push({
            ...base,
            otlpName,
            promName,
            unit,
            kind: 'gauge',
            attributes: { 'trade.venue': `v${n % 3}` },
            samples,
          });
        }
        const counts = BOUNDS.map(() => 0).concat([0]);
        let sum = 0;
        const samples = times(random, n % 3 === 0, false).map((ms) => {
          const observations = Math.floor(random() * 8);
          for (let i = 0; i < observations; i++) {
            const x = random() ** 3 * 12;
            const bucket = BOUNDS.findIndex((b) => x <= b);
            counts[bucket < 0 ? BOUNDS.length : bucket]!++;
            sum += Math.round(x * 1000) / 1000;
          }
          return { ms, counts: counts.slice(), sum: Math.round(sum * 1000) / 1000 };
        });
        histograms.push({
          ...base,
          otlpName: 'order.latency',
          promName: 'order_latency_seconds',
          unit: 's',
          attributes: { side },
          samples,
        });
      }
    }
  }
  return { scalars, histograms };
}

function context(s: Omit<SeededSeries, 'samples' | 'kind'>) {
  return {
    ...emptySeriesContext(s.otlpName),
    unit: s.unit,
    service: s.service,
    resource: encodeResource({
      attributes: { 'service.name': s.service, 'service.instance.id': s.instance },
      droppedAttributesCount: 0,
      schemaUrl: '',
    }),
  };
}

/** The data set as one OTLP-shaped batch for core (`db.writeMetricBatch`). */
export function toMetricBatch(data: SeedData): MetricBatch {
  const batch = new MetricBatch();
  for (const s of data.scalars) {
    const ctx = context(s);
    for (const [ms, value] of s.samples) {
      const p = emptyScalarPoint();
      p.timeMicros = ms * 1000;
      p.symbol = s.symbol;
      p.attributes = encodeAttributes({ symbol: s.symbol, ...s.attributes });
      p.value = value;
      if (s.kind === 'counter') {
        p.kind = MetricKind.Sum;
        p.temporality = Temporality.Cumulative;
        p.isMonotonic = true;
      }
      batch.pushScalar(ctx, p);
    }
  }
  for (const h of data.histograms) {
    const ctx = context(h);
    for (const s of h.samples) {
      const p = emptyHistogramPoint(Temporality.Cumulative);
      p.timeMicros = s.ms * 1000;
      p.symbol = h.symbol;
      p.attributes = encodeAttributes({ symbol: h.symbol, ...h.attributes });
      p.bucketCounts = s.counts;
      p.explicitBounds = BOUNDS;
      p.count = s.counts.reduce((a, b) => a + b, 0);
      p.sum = s.sum;
      batch.pushHistogram(ctx, p);
    }
  }
  return batch;
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
}

/** The data set as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`. */
export function toOpenMetrics(data: SeedData): string {
  const families = new Map<string, string[]>();
  const add = (family: string, type: string, lines: string[]) => {
    let list = families.get(family);
    if (!list) {
      list = [`# TYPE ${family} ${type}`];
      families.set(family, list);
    }
    list.push(...lines);
  };
  const sanitize = (k: string) => k.replace(/[^a-zA-Z0-9_]+/g, '_');
  for (const s of data.scalars) {
    const attrs = Object.fromEntries(Object.entries(s.attributes).map(([k, v]) => [sanitize(k), v]));
    const labels = labelText({ job: s.service, instance: s.instance, symbol: s.symbol, ...attrs });
    const family = s.kind === 'counter' ? s.promName.replace(/_total$/, '') : s.promName;
    add(
      family,
      s.kind,
      s.samples.map(([ms, v]) => `${s.promName}{${labels}} ${formatSampleValue(v)} ${ms / 1000}`),
    );
  }
  for (const h of data.histograms) {
    const labels = { job: h.service, instance: h.instance, symbol: h.symbol, ...h.attributes };
    const lines: string[] = [];
    for (const s of h.samples) {
      let cumulative = 0;
      s.counts.forEach((c, i) => {
        cumulative += c;
        const le = i < BOUNDS.length ? formatSampleValue(BOUNDS[i] as number) : '+Inf';
        lines.push(`${h.promName}_bucket{${labelText({ ...labels, le })}} ${cumulative} ${s.ms / 1000}`);
      });
      lines.push(`${h.promName}_sum{${labelText(labels)}} ${formatSampleValue(s.sum)} ${s.ms / 1000}`);
      lines.push(`${h.promName}_count{${labelText(labels)}} ${cumulative} ${s.ms / 1000}`);
    }
    add(h.promName, 'histogram', lines);
  }
  return `${[...families.values()].map((l) => l.join('\n')).join('\n')}\n# EOF\n`;
}
