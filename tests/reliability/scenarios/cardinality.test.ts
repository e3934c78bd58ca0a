import { join } from 'node:path';
import { Database, OVERFLOW_ATTRIBUTES } from '@duckside/core';
import { tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { keepAliveAgent, send } from '../src/http-request.ts';
import { scale } from '../src/scale.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { mib, ms } from '../src/stats.ts';

const report = new ScenarioReport('12 cardinality explosion');
afterAll(() => report.publish());

const METRIC = 'order_latency_ms';
const POINTS_PER_REQUEST = 2000;
const CLIENTS = 4;
const LIMIT = 10_000;
const HEAP_MB = 512;

/**
 * An OTLP/JSON request of one gauge whose point `i` has value `first + i` and a series of its own (attribute
 * `order_id` = the value): every point is a new series.
 */
function uniqueSeriesBody(first: number): string {
  const timeNs = BigInt(Date.now()) * 1_000_000n;
  const points: string[] = [];
  for (let i = 0; i < POINTS_PER_REQUEST; i++) {
    const seq = first + i;
    points.push(
      `{"timeUnixNano":"${timeNs + BigInt(i)}","asDouble":${seq},"attributes":[{"key":"order_id","value":{"stringValue":"o${seq}"}}]}`,
    );
  }
  return `{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gateway"}}]},"scopeMetrics":[{"scope":{"name":"orders"},"metrics":[{"name":"${METRIC}","unit":"ms","gauge":{"dataPoints":[${points.join(',')}]}}]}]}]}`;
}

describe('cardinality explosion', () => {
  it('stores every point of 1M new series of one metric in a real or the overflow series, with bounded memory', async () => {
    const { long } = scale();
    const series = long ? 1_000_000 : 250_000;
    await using dir = await tempDir('reliability-cardinality-');
    const db = join(dir.path, 'cardinality.duckdb');
    const sidecar = await SidecarProcess.start({
      db,
      args: ['--max-series-per-metric', String(LIMIT), '--memory-limit', '256MB'],
      nodeArgs: [`--max-old-space-size=${HEAP_MB}`],
    });
    report.attachLog('sidecar', () => sidecar.output());
    const agent = keepAliveAgent(CLIENTS);
    const statuses: Record<number, number> = {};
    const acked: number[] = [];
    let next = 0;
    const rssAt: Array<{ series: number; rss: number }> = [];
    const t0 = performance.now();
    const client = async () => {
      while (next < series) {
        const first = next;
        next += POINTS_PER_REQUEST;
        const res = await send(`${sidecar.url}/v1/metrics`, {
          headers: { ...sidecar.authHeaders, 'content-type': 'application/json' },
          body: uniqueSeriesBody(first),
          agent,
          timeoutMs: 60_000,
        });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        // Refused requests (429/503 under load) are not retried: only acknowledged points must be stored.
        if (res.status === 200) acked.push(first);
        if (rssAt.length === 0 || first - (rssAt.at(-1)?.series ?? 0) >= series / 10) {
          rssAt.push({ series: first, rss: sidecar.memory().rss });
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const seconds = (performance.now() - t0) / 1000;
    const metrics = await send(`${sidecar.url}/metrics`, { headers: sidecar.authHeaders });
    const peakRss = sidecar.memory().peakRss;
    const exit = await sidecar.stop();

    const stored = await Database.open({ path: db, initialize: false });
    const [counts] = await stored.withConnection(async (c) =>
      (
        await c.runAndReadAll(
          `SELECT count(*)::INTEGER AS points, count(DISTINCT series_id)::INTEGER AS series,
             count(*) FILTER (WHERE attributes = $2 AND symbol IS NULL)::INTEGER AS overflow_points,
             count(DISTINCT series_id) FILTER (WHERE attributes = $2 AND symbol IS NULL)::INTEGER AS overflow_series,
             count(DISTINCT value)::INTEGER AS distinct_values, sum(value) AS value_sum
           FROM trading_metrics WHERE name = $1`,
          [METRIC, OVERFLOW_ATTRIBUTES],
        )
      ).getRowObjectsJS(),
    );
    await stored.close();
    const ackedPoints = acked.length * POINTS_PER_REQUEST;
    const expectedSum = acked.reduce(
      (sum, first) => sum + POINTS_PER_REQUEST * first + (POINTS_PER_REQUEST * (POINTS_PER_REQUEST - 1)) / 2,
      0,
    );
    const overflowLine = /duckside_series_overflow_points_total\{metric="order_latency_ms"\} (\d+)/.exec(
      String(metrics.body),
    );

    report.figure('series sent (unique attribute per point)', `${series} in ${seconds.toFixed(1)} s`);
    report.figure('statuses', JSON.stringify(statuses));
    report.check(
      'points stored == points acknowledged (each once, values summing to the acknowledged ones)',
      `${counts?.points} stored of ${ackedPoints} acknowledged, ${counts?.distinct_values} distinct values`,
      'equal',
      counts?.points === ackedPoints &&
        counts?.distinct_values === ackedPoints &&
        Number(counts?.value_sum) === expectedSum,
    );
    report.check(
      'series stored / overflow series',
      `${counts?.series} / ${counts?.overflow_series}`,
      `${LIMIT + 1} / 1`,
      counts?.series === LIMIT + 1 && counts?.overflow_series === 1,
    );
    report.check(
      'points in the overflow series (and as counted in /metrics)',
      `${counts?.overflow_points} (${overflowLine?.[1]})`,
      `${ackedPoints - LIMIT} (same)`,
      counts?.overflow_points === ackedPoints - LIMIT && Number(overflowLine?.[1]) === ackedPoints - LIMIT,
    );
    const first = rssAt[1] ?? rssAt[0];
    report.figure('server RSS by series sent', rssAt.map((r) => `${r.series}: ${mib(r.rss)}`).join(', '));
    report.check(
      'server peak RSS',
      mib(peakRss),
      `< 700 MiB (heap ${HEAP_MB} MiB, DuckDB 256MB)`,
      peakRss < 700 * 1024 * 1024,
    );
    report.check(
      'RSS growth from the first tenth of the series to the end',
      mib((rssAt.at(-1)?.rss ?? 0) - (first?.rss ?? 0)),
      '< 200 MiB (no per-series growth)',
      (rssAt.at(-1)?.rss ?? 0) - (first?.rss ?? 0) < 200 * 1024 * 1024,
    );
    report.check('exit code / time to exit', `${exit.code} / ${ms(exit.ms)}`, '0', exit.code === 0);
    expect(report.failures().map((f) => `${f.name}: ${f.value}`)).toEqual([]);
  });
});
