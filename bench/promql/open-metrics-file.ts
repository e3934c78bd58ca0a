import { closeSync, openSync, writeSync } from 'node:fs';
import { formatSampleValue, prometheusMetricName, sanitizeLabelName } from '@duckside/promql';
import { ATTRIBUTE_TEXTS, METRIC_SERIES, SYMBOLS } from '../core/trading-catalog.ts';
import { LATENCY_BOUNDS, type PromqlData, SERIES_KEYS } from './promql-data.ts';
import { LATENCY_HISTOGRAM } from './promql-duckside-load.ts';

/**
 * An OpenMetrics timestamp (seconds) that promtool reads back as exactly `ms`: its parser truncates
 * `seconds * 1000`, so a trailing half-millisecond digit keeps float rounding from landing one ms early.
 * @example openMetricsTimestamp(1741000000123) // '1741000000.1235'
 */
export function openMetricsTimestamp(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}5`;
}
const timestamp = openMetricsTimestamp;

/** `{a="x",b="y"}` of labels in the order given. */
const labelText = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;

/** Prometheus name and labels (without `__name__`) of a scalar series key, as Duckside maps the OTLP series. */
export function scalarSeriesLabels(key: number): { name: string; labels: Record<string, string> } {
  const m = METRIC_SERIES[Math.floor(key / ATTRIBUTE_TEXTS.length)]!;
  const attributes = JSON.parse(ATTRIBUTE_TEXTS[key % ATTRIBUTE_TEXTS.length]!) as Record<string, string>;
  const name = prometheusMetricName({
    name: m.name,
    unit: m.unit,
    type: m.counter ? 'sum' : 'gauge',
    monotonic: m.counter,
  });
  const labels: Record<string, string> = { job: m.service };
  for (const [k, v] of Object.entries(attributes)) labels[sanitizeLabelName(k)] = v;
  return { name, labels };
}

/** Buffered line writer over a file descriptor. */
class LineWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  line(text: string): void {
    this.parts.push(text);
    this.size += text.length + 1;
    if (this.size > 1 << 22) this.flush();
  }
  flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, `${this.parts.join('\n')}\n`);
    this.parts = [];
    this.size = 0;
  }
}

/**
 * Writes the data set as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: one family per
 * metric, each series' samples together and in time order; returns the number of samples written.
 * @example const samples = writeOpenMetrics(data, '/tmp/data.om');
 */
export function writeOpenMetrics(data: PromqlData, path: string): number {
  const fd = openSync(path, 'w');
  const out = new LineWriter(fd);
  let samples = 0;
  try {
    // Points of each series key together, in time order (counting sort, stable).
    const { ms, value, key, length } = data.scalars;
    const starts = new Uint32Array(SERIES_KEYS + 1);
    for (let i = 0; i < length; i++) starts[key[i]! + 1]!++;
    for (let k = 0; k < SERIES_KEYS; k++) starts[k + 1]! += starts[k]!;
    const order = new Uint32Array(length);
    const fill = starts.slice(0, SERIES_KEYS);
    for (let i = 0; i < length; i++) order[fill[key[i]!]!++] = i;
    let family = '';
    for (let k = 0; k < SERIES_KEYS; k++) {
      if (starts[k] === starts[k + 1]) continue;
      const { name, labels } = scalarSeriesLabels(k);
      const counter = METRIC_SERIES[Math.floor(k / ATTRIBUTE_TEXTS.length)]!.counter;
      const familyName = counter ? name.replace(/_total$/, '') : name;
      if (familyName !== family) {
        out.line(`# TYPE ${familyName} ${counter ? 'counter' : 'gauge'}`);
        family = familyName;
      }
      const prefix = `${name}${labelText(labels)} `;
      for (let j = starts[k]!; j < starts[k + 1]!; j++) {
        const i = order[j]!;
        out.line(`${prefix}${formatSampleValue(value[i]!)} ${timestamp(ms[i]!)}`);
      }
      samples += starts[k + 1]! - starts[k]!;
    }
    samples += writeHistograms(data, out);
    out.line('# EOF');
    out.flush();
  } finally {
    closeSync(fd);
  }
  return samples;
}

function writeHistograms(data: PromqlData, out: LineWriter): number {
  const name = prometheusMetricName({
    name: LATENCY_HISTOGRAM.name,
    unit: LATENCY_HISTOGRAM.unit,
    type: 'histogram',
  });
  const { steps, ms, counts, sums } = data.histograms;
  const buckets = LATENCY_BOUNDS.length + 1;
  const les = [...LATENCY_BOUNDS.map(formatSampleValue), '+Inf'];
  out.line(`# TYPE ${name} histogram`);
  for (let s = 0; s < SYMBOLS.length; s++) {
    const labels = { job: LATENCY_HISTOGRAM.service, symbol: SYMBOLS[s]!.symbol };
    const prefixes = les.map((le) => `${name}_bucket${labelText({ ...labels, le })} `);
    for (let step = 0; step < steps; step++) {
      const at = (step * SYMBOLS.length + s) * buckets;
      const ts = timestamp(ms[step]!);
      for (let b = 0; b < buckets; b++) out.line(`${prefixes[b]}${counts[at + b]} ${ts}`);
      out.line(
        `${name}_sum${labelText(labels)} ${formatSampleValue(sums[step * SYMBOLS.length + s]!)} ${ts}`,
      );
      out.line(`${name}_count${labelText(labels)} ${counts[at + buckets - 1]} ${ts}`);
    }
  }
  return steps * SYMBOLS.length * (buckets + 2);
}
