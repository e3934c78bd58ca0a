import { type ChartGroup, svgChart } from '../lib/svg-chart.ts';
import { sizeKey } from './core-results.ts';
import { QUERY_WORKLOADS } from './query-workloads.ts';
import { CLAIMS } from './targets.ts';

const SHORT_TITLES: Record<string, string> = {
  filter_limit: 'Filter + limit (newest 100, one day)',
  bucket_one: '1-min avg, one series, one day',
  bucket_all: '1-min avg, all symbols, one day',
  ohlcv_one: 'OHLCV 1-min, one symbol, one day',
  ohlcv_all: 'OHLCV 1-hour, all symbols, 7 days',
  p99_symbol: 'p99 per symbol and hour, 7 days',
  pct_by_name: 'p50/p99 by name, whole table (raw SQL)',
};

/**
 * The chart of the core results: query latency (Duckside API, or raw DuckDB where the builder has no equivalent,
 * vs PostgreSQL) and write throughput, with the original design's claims as dashed lines.
 * Undefined when the results hold no core figures.
 * @example const svg = coreChart(results); if (svg) writeFileSync('chart.svg', svg);
 */
export function coreChart(results: Record<string, number>): string | undefined {
  const rows = results['core.query_rows'];
  if (rows === undefined) return undefined;
  const claim = (key: string) => {
    const c = CLAIMS.find((x) => x.duckside === key);
    if (!c) return {};
    const bound = c.unit === 'ms' ? `${c.bound} ms` : `${c.bound / 1000}k rows/s`;
    return { target: c.bound, targetLabel: `claim ${c.better === 'lower' ? '<' : '≥'} ${bound}` };
  };
  const latency: ChartGroup[] = QUERY_WORKLOADS.map((w) => {
    const api = `core.query.${w.id}.api_ms`;
    return {
      label: SHORT_TITLES[w.id] ?? w.id,
      values: [results[api] ?? results[`core.query.${w.id}.raw_ms`], results[`core.query.${w.id}.pg_ms`]],
      ...claim(api),
    };
  });
  latency.push({
    label: '10,000-record batch insert',
    values: [results['core.single.batch10k_ms'], undefined],
    ...claim('core.single.batch10k_ms'),
  });
  const ingestKey = `core.ingest_${sizeKey(rows)}`;
  const throughput: ChartGroup[] = [
    {
      label: `Bulk ingest, ${rows.toLocaleString('en-US')} points`,
      values: [results[`${ingestKey}.core_rows_per_s`], results['core.pg.copy_rows_per_s']],
    },
    {
      label: '10,000 concurrent single inserts',
      values: [results['core.single.concurrent_rows_per_s'], undefined],
      ...claim('core.single.concurrent_rows_per_s'),
    },
  ];
  return svgChart(
    `Duckside vs PostgreSQL 15 vs the original design's claims (${rows.toLocaleString('en-US')} rows)`,
    [
      { name: 'Duckside (API)', color: '#e8a317' },
      { name: 'PostgreSQL 15 (btree on name, ts)', color: '#336791' },
    ],
    [
      { title: 'Query latency, median (lower is better)', unit: 'ms', groups: latency },
      { title: 'Write throughput (higher is better)', unit: 'rows/s', groups: throughput },
    ],
  );
}
