import type { Collect, Counter, Gauge, Histogram, SelfMetrics } from '../plugin-api/plugin.ts';

type Labels = Record<string, string>;

/** Default histogram buckets, in seconds (request and query latencies). */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Family {
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  render(name: string): string;
  handle: Counter | Gauge | Histogram;
}

/**
 * The sidecar's self-metrics: counters, gauges (set or collected when scraped) and histograms, rendered in the
 * Prometheus text exposition format (0.0.4). Asking twice for the same name returns the same metric.
 * @example
 * const metrics = new MetricsRegistry();
 * metrics.counter('duckside_ingested_rows_total', 'Rows stored').inc(3, { signal: 'trades' });
 * metrics.render(); // '# HELP duckside_ingested_rows_total Rows stored\n# TYPE ... counter\n...{signal="trades"} 3\n'
 */
export class MetricsRegistry implements SelfMetrics {
  private readonly families = new Map<string, Family>();

  /** A counter; `collect`, when given, is read at each scrape (for totals kept elsewhere, e.g. by core). */
  counter(name: string, help: string, collect?: Collect): Counter {
    return this.family(name, 'counter', help, () => {
      const family = valueFamily(collect);
      const handle: Counter = {
        inc(value = 1, labels = {}) {
          if (!(value >= 0)) throw new RangeError(`counter ${name} can only increase`);
          family.update(labels, (old) => old + value);
        },
      };
      return { handle, render: family.render };
    }) as Counter;
  }

  gauge(name: string, help: string, collect?: Collect): Gauge {
    return this.family(name, 'gauge', help, () => {
      const family = valueFamily(collect);
      const handle: Gauge = { set: (value, labels = {}) => family.update(labels, () => value) };
      return { handle, render: family.render };
    }) as Gauge;
  }

  histogram(name: string, help: string, buckets: number[] = LATENCY_BUCKETS): Histogram {
    const bounds = [...buckets].sort((a, b) => a - b);
    return this.family(name, 'histogram', help, () => {
      const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
      const handle: Histogram = {
        observe(value, labels = {}) {
          const key = labelKey(labels);
          let s = series.get(key);
          if (!s) {
            s = { labels: { ...labels }, counts: bounds.map(() => 0), sum: 0, count: 0 };
            series.set(key, s);
          }
          for (let i = 0; i < bounds.length; i++) if (value <= (bounds[i] as number)) s.counts[i]!++;
          s.sum += value;
          s.count++;
        },
      };
      const render = (n: string) => {
        let out = '';
        for (const s of series.values()) {
          bounds.forEach((le, i) => {
            out += sample(`${n}_bucket`, { ...s.labels, le: formatNumber(le) }, s.counts[i] as number);
          });
          out += sample(`${n}_bucket`, { ...s.labels, le: '+Inf' }, s.count);
          out += sample(`${n}_sum`, s.labels, s.sum);
          out += sample(`${n}_count`, s.labels, s.count);
        }
        return out;
      };
      return { handle, render };
    }) as Histogram;
  }

  /** All metrics in the Prometheus text format. A gauge whose collector throws is left out. */
  render(): string {
    let out = '';
    for (const [name, family] of this.families) {
      let body: string;
      try {
        body = family.render(name);
      } catch {
        continue;
      }
      out += `# HELP ${name} ${family.help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}\n`;
      out += `# TYPE ${name} ${family.type}\n${body}`;
    }
    return out;
  }

  private family(
    name: string,
    type: Family['type'],
    help: string,
    create: () => Pick<Family, 'handle' | 'render'>,
  ): Family['handle'] {
    const existing = this.families.get(name);
    if (existing) {
      if (existing.type !== type) throw new TypeError(`metric ${name} is already a ${existing.type}`);
      return existing.handle;
    }
    if (!NAME.test(name)) throw new TypeError(`invalid metric name ${JSON.stringify(name)}`);
    const family = { type, help, ...create() };
    this.families.set(name, family);
    return family.handle;
  }
}

function valueFamily(collect: Collect | undefined) {
  const values = new Map<string, { labels: Labels; value: number }>();
  return {
    update(labels: Labels, next: (old: number) => number) {
      const key = labelKey(labels);
      const entry = values.get(key);
      if (entry) entry.value = next(entry.value);
      else values.set(key, { labels: { ...labels }, value: next(0) });
    },
    render(name: string): string {
      const samples = [...values.values()];
      if (collect) {
        const collected = collect();
        if (typeof collected === 'number') samples.push({ labels: {}, value: collected });
        else samples.push(...collected);
      }
      return renderSamples(name, samples);
    },
  };
}

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  for (const k of keys) if (!LABEL.test(k)) throw new TypeError(`invalid label name ${JSON.stringify(k)}`);
  return keys.map((k) => `${k}\u0000${labels[k]}`).join('\u0001');
}

function renderSamples(name: string, samples: Array<{ labels: Labels; value: number }>): string {
  return samples.map((s) => sample(name, s.labels, s.value)).join('');
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${formatNumber(value)}\n`;
}

function escapeLabel(value: string): string {
  return String(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
