import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './self-metrics.ts';

describe('MetricsRegistry', () => {
  it('renders counters, gauges and collected values in the Prometheus text format', () => {
    const m = new MetricsRegistry();
    const c = m.counter('rows_total', 'Rows "stored"\nper signal');
    c.inc(2, { signal: 'trades' });
    c.inc(1, { signal: 'trades' });
    c.inc(undefined, { signal: 'a"b\\c\nd' });
    m.gauge('queue_bytes', 'Queue').set(7);
    m.gauge('pool', 'Pool', () => [{ labels: { state: 'borrowed' }, value: 3 }]);
    m.counter('commits_total', 'Commits', () => 42);
    expect(m.render()).toBe(
      [
        '# HELP rows_total Rows "stored"\\nper signal',
        '# TYPE rows_total counter',
        'rows_total{signal="trades"} 3',
        'rows_total{signal="a\\"b\\\\c\\nd"} 1',
        '# HELP queue_bytes Queue',
        '# TYPE queue_bytes gauge',
        'queue_bytes 7',
        '# HELP pool Pool',
        '# TYPE pool gauge',
        'pool{state="borrowed"} 3',
        '# HELP commits_total Commits',
        '# TYPE commits_total counter',
        'commits_total 42',
        '',
      ].join('\n'),
    );
  });

  it('renders cumulative histogram buckets with sum and count', () => {
    const m = new MetricsRegistry();
    const h = m.histogram('latency_seconds', 'Latency', [0.1, 1]);
    h.observe(0.05, { endpoint: 'q' });
    h.observe(0.5, { endpoint: 'q' });
    h.observe(5, { endpoint: 'q' });
    expect(m.render()).toContain(
      [
        'latency_seconds_bucket{endpoint="q",le="0.1"} 1',
        'latency_seconds_bucket{endpoint="q",le="1"} 2',
        'latency_seconds_bucket{endpoint="q",le="+Inf"} 3',
        'latency_seconds_sum{endpoint="q"} 5.55',
        'latency_seconds_count{endpoint="q"} 3',
      ].join('\n'),
    );
  });

  it('returns the same metric for the same name and refuses conflicts and bad names', () => {
    const m = new MetricsRegistry();
    expect(m.counter('x_total', 'X')).toBe(m.counter('x_total', 'X'));
    expect(() => m.gauge('x_total', 'X')).toThrow(/already a counter/);
    expect(() => m.counter('bad-name', 'X')).toThrow(/invalid metric name/);
    expect(() => m.counter('y_total', 'Y').inc(-1)).toThrow(RangeError);
    expect(() => m.counter('z_total', 'Z').inc(1, { 'bad-label': 'v' })).toThrow(/invalid label name/);
  });

  it('leaves out a gauge whose collector throws', () => {
    const m = new MetricsRegistry();
    m.gauge('broken', 'B', () => {
      throw new Error('closed');
    });
    m.gauge('fine', 'F', () => 1);
    expect(m.render()).toBe('# HELP fine F\n# TYPE fine gauge\nfine 1\n');
  });
});
