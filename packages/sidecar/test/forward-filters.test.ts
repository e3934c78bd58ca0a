import { join } from 'node:path';
import { type TempDir, tempDir } from '@duckside/testkit';
import { encodeLogsRequest, encodeRequest } from '@duckside/testkit/otlp';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/config-schema.ts';
import { ExportFilter } from '../src/plugins/forward/export-filter.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { readStoredLogs } from './helpers/otel-logs.ts';
import { pointKey, readStoredPoints, type StoredPoint } from './helpers/otel-points.ts';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';
import { poll } from './helpers/poll.ts';

let dir: TempDir | undefined;
let server: RunningServer | undefined;
const upstreams: OtlpTestServer[] = [];

afterEach(async () => {
  await server?.shutdown();
  for (const u of upstreams.splice(0)) await u.close();
  await dir?.[Symbol.asyncDispose]();
  server = dir = undefined;
});

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const gauge = (name: string, t: number) => ({
  name,
  gauge: { dataPoints: [{ timeUnixNano: String(t), asDouble: t }] },
});
const NAMES = ['order_latency', 'order_debug_queue', 'http_requests', 'gc_pause'];

/** Three resources (prod, dev, prod with an int `shard`), each with two scopes holding every name. */
function metricsRequest(t: number): Record<string, unknown> {
  const resources = [
    [str('service.name', 'oms'), str('deployment.environment', 'prod')],
    [str('service.name', 'oms'), str('deployment.environment', 'dev')],
    [str('deployment.environment', 'prod'), { key: 'shard', value: { intValue: '3' } }],
  ];
  return {
    resourceMetrics: resources.map((attributes, r) => ({
      resource: { attributes },
      scopeMetrics: [0, 1].map((s) => ({
        scope: { name: `scope-${s}` },
        metrics: NAMES.map((n, i) => gauge(n, t + r * 100 + s * 10 + i)),
      })),
    })),
  };
}

function logsRequest(env: string, t: number): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: [str('deployment.environment', env)] },
        scopeLogs: [{ logRecords: [{ timeUnixNano: String(t), body: { stringValue: `${env} ${t}` } }] }],
      },
    ],
  };
}

const envOf = (p: StoredPoint) => p.resource.attributes['deployment.environment'];
const keys = (points: StoredPoint[]) => points.map(pointKey).sort();

describe('forward: filters', () => {
  it('forwards to each real upstream Duckside only what its name globs and resource attributes select, protobuf and JSON', async () => {
    const byName = await startOtlpServer();
    const byResource = await startOtlpServer();
    const byInt = await startOtlpServer();
    upstreams.push(byName, byResource, byInt);
    dir = await tempDir('forward-filter-');
    const config = configSchema.parse({
      port: 0,
      database: join(dir.path, 'local.duckdb'),
      log: { level: 'warn' },
      plugins: {
        forward: {
          upstreams: [
            { url: byName.url, include: ['order_*', 'http_*'], exclude: ['order_debug*'] },
            {
              url: byResource.url,
              resource: { 'deployment.environment': 'prod' },
              include: ['order_?atency'],
            },
            { url: byInt.url, resource: { shard: '3' } },
          ],
        },
      },
    });
    server = await startServer({ config });
    const post = (body: Uint8Array | string, path: string, type: string) =>
      fetch(`${server!.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
    for (let i = 0; i < 3; i++) {
      const request = metricsRequest(1_000_000 * (i + 1));
      expect((await post(encodeRequest(request), '/v1/metrics', 'application/x-protobuf')).status).toBe(200);
      const json = JSON.stringify(metricsRequest(1_000_000 * (i + 10)));
      expect((await post(json, '/v1/metrics', 'application/json')).status).toBe(200);
    }
    for (const [env, t] of [
      ['prod', 1],
      ['dev', 2],
      ['prod', 3],
    ] as const) {
      expect(
        (await post(encodeLogsRequest(logsRequest(env, t)), '/v1/logs', 'application/x-protobuf')).status,
      ).toBe(200);
    }
    expect((await post(JSON.stringify(logsRequest('dev', 4)), '/v1/logs', 'application/json')).status).toBe(
      200,
    );

    const local = await readStoredPoints(server.db);
    expect(local).toHaveLength(6 * 3 * 2 * NAMES.length);
    const expected = {
      byName: local.filter((p) => /^(order_|http_)/.test(p.name) && !p.name.startsWith('order_debug')),
      byResource: local.filter((p) => envOf(p) === 'prod' && p.name === 'order_latency'),
      byInt: local.filter((p) => p.resource.attributes.shard === 3n),
    };
    expect(expected.byInt.length).toBeGreaterThan(0);
    const arrived = async (u: OtlpTestServer, n: number) =>
      poll(async () => (await readStoredPoints(u.db)).length >= n, 10_000);
    expect(await arrived(byName, expected.byName.length)).toBe(true);
    expect(await arrived(byResource, expected.byResource.length)).toBe(true);
    expect(await arrived(byInt, expected.byInt.length)).toBe(true);
    expect(await poll(async () => (await readStoredLogs(byResource.db)).length >= 2, 10_000)).toBe(true);

    expect(keys(await readStoredPoints(byName.db))).toEqual(keys(expected.byName));
    expect(keys(await readStoredPoints(byResource.db))).toEqual(keys(expected.byResource));
    expect(keys(await readStoredPoints(byInt.db))).toEqual(keys(expected.byInt));
    // Logs: name globs do not apply; resource attributes do.
    const localLogs = await readStoredLogs(server.db);
    expect((await readStoredLogs(byName.db)).map((l) => l.message).sort()).toEqual(
      localLogs.map((l) => l.message).sort(),
    );
    expect((await readStoredLogs(byResource.db)).map((l) => l.message).sort()).toEqual(['prod 1', 'prod 3']);
    expect(await readStoredLogs(byInt.db)).toEqual([]);
    const filtered = server.app.metrics.render();
    expect(filtered).toMatch(/duckside_forward_filtered_requests_total\{[^}]*signal="logs"[^}]*\} 4/);
  });

  it('passes requests through untouched without rules, and copies what it keeps byte for byte', () => {
    const body = encodeRequest(metricsRequest(5));
    const request = { signal: 'metrics', encoding: 'protobuf', body } as const;
    expect(new ExportFilter({ include: [], exclude: [], resource: {} }).apply(request)).toBe(body);
    // Keeping everything through the filter walk gives the same bytes (nothing re-framed).
    const all = new ExportFilter({ include: ['*'], exclude: [], resource: {} }).apply(request);
    expect(Buffer.compare(Buffer.from(all!), Buffer.from(body))).toBe(0);
    expect(
      new ExportFilter({ include: ['nothing*'], exclude: [], resource: {} }).apply(request),
    ).toBeUndefined();
    const json = Buffer.from(JSON.stringify(metricsRequest(5)));
    const jsonAll = new ExportFilter({ include: ['*'], exclude: [], resource: {} }).apply({
      ...request,
      encoding: 'json',
      body: json,
    });
    expect(Buffer.from(jsonAll!).toString()).toBe(json.toString());
  });
});
