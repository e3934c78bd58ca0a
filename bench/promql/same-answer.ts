import type { PrometheusData } from '@duckside/promql';
import { compareResults } from '../../packages/promql/test/conformance/compare.ts';

/** A Prometheus API reply body. */
export interface ApiBody {
  status: string;
  data?: unknown;
  error?: string;
}

/** Number of series (query results, `/series`) or values (`/label/<name>/values`) of a successful reply. */
export function answerSize(body: ApiBody): number {
  const data = body.data as { result?: unknown[] } | unknown[];
  return Array.isArray(data) ? data.length : (data?.result?.length ?? 0);
}

const sortedKeys = (data: unknown[]) =>
  data.map((d) => JSON.stringify(typeof d === 'string' ? d : Object.entries(d as object).sort())).sort();

/**
 * Differences between Duckside's and Prometheus' replies to the same call: query results as the conformance
 * test compares them (series, labels, timestamps, values within 1e-9 relative), lists as sets. Empty when equal.
 * @example expect(sameAnswer(ours, theirs)).toEqual([])
 */
export function sameAnswer(ours: ApiBody, theirs: ApiBody): string[] {
  if (ours.status !== 'success' || theirs.status !== 'success')
    return [`status ${ours.status} (${ours.error ?? ''}) vs ${theirs.status} (${theirs.error ?? ''})`];
  if (Array.isArray(theirs.data)) {
    const a = sortedKeys(ours.data as unknown[]);
    const b = sortedKeys(theirs.data);
    const missing = b.filter((x) => !a.includes(x));
    const extra = a.filter((x) => !b.includes(x));
    return [...missing.map((x) => `missing ${x}`), ...extra.map((x) => `extra ${x}`)].slice(0, 8);
  }
  if (answerSize(theirs) === 0) return ['Prometheus answered no series: the workload measures nothing'];
  return compareResults(ours.data as PrometheusData, theirs.data as PrometheusData, false);
}
