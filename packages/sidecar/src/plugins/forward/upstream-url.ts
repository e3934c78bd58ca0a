import { createHash } from 'node:crypto';
import type { OtlpSignal } from '../../otlp/otlp-signals.ts';

/** Where one upstream takes each signal. */
export interface UpstreamUrls {
  readonly metrics: string;
  readonly logs: string;
}

/**
 * The metrics and logs endpoints of an upstream given as its metrics endpoint (as in
 * `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`): a URL without a path gets `/v1/metrics`; logs go to the sibling
 * `/v1/logs` (the last path segment `metrics` replaced, or `/v1/logs` appended when the path does not end in it).
 * @throws TypeError for a URL that is not http(s) or that holds credentials (they would show in logs; use a header).
 * @example upstreamUrls('http://collector:4318') // { metrics: 'http://collector:4318/v1/metrics', logs: 'http://collector:4318/v1/logs' }
 */
export function upstreamUrls(url: string): UpstreamUrls {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`forward URL ${url} must be http:// or https://`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new TypeError(
      `forward URL of ${parsed.host} must not hold credentials: send them as a header (--forward-otlp-header authorization=...)`,
    );
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  const metrics = new URL(parsed);
  metrics.pathname = path === '' ? '/v1/metrics' : path;
  const logs = new URL(metrics);
  logs.pathname = /\/metrics$/.test(metrics.pathname)
    ? metrics.pathname.replace(/metrics$/, 'logs')
    : `${metrics.pathname}/v1/logs`;
  return { metrics: metrics.toString(), logs: logs.toString() };
}

/**
 * A stable name for an upstream, used as its queue folder and its `upstream` label: the host and port, and a
 * short hash of the whole metrics URL (two upstreams on one host stay apart; credentials never show).
 * @example upstreamId('http://collector:4318/v1/metrics') // 'collector_4318-3f2a9c1e'
 */
export function upstreamId(metricsUrl: string): string {
  const u = new URL(metricsUrl);
  const host = `${u.hostname}_${u.port || (u.protocol === 'https:' ? '443' : '80')}`.replace(
    /[^a-z0-9._-]/gi,
    '_',
  );
  const hash = createHash('sha256').update(metricsUrl).digest('hex').slice(0, 8);
  return `${host}-${hash}`;
}

/**
 * The endpoint of a signal.
 * @example endpointOf(urls, 'logs')
 */
export function endpointOf(urls: UpstreamUrls, signal: OtlpSignal): string {
  return signal === 'metrics' ? urls.metrics : urls.logs;
}
