import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort, type TempDir, tempDir } from '@duckside/testkit';
import { encodeLogsRequest, encodeRequest, exportClient, gaugeRequest } from '@duckside/testkit/otlp';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/config-schema.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { poll } from './helpers/poll.ts';
import { startUpstreamRecorder, type UpstreamRecorder } from './helpers/upstream-recorder.ts';

let dir: TempDir | undefined;
let server: RunningServer | undefined;
let upstream: UpstreamRecorder | undefined;

afterEach(async () => {
  await server?.shutdown();
  await upstream?.close();
  await dir?.[Symbol.asyncDispose]();
  server = upstream = dir = undefined;
});

/** A forwarding sidecar on a database file in a temp folder, with the forward plugin's options. */
async function forwarding(forward: Record<string, unknown>, grpcPort = 0): Promise<RunningServer> {
  dir = await tempDir('forward-');
  const config = configSchema.parse({
    port: 0,
    grpcPort,
    database: join(dir.path, 'local.duckdb'),
    log: { level: 'warn' },
    plugins: { forward: { initialBackoffMs: 50, maxBackoffMs: 200, ...forward } },
  });
  server = await startServer({ config });
  return server;
}

function post(s: RunningServer, body: Uint8Array, path = '/v1/metrics', type = 'application/x-protobuf') {
  return fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
}

function metric(s: RunningServer, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of s.app.metrics.render().split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m?.[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) total += Number(m[3]);
  }
  return total;
}

describe('forward: delivery to a real HTTP upstream', () => {
  it('forwards after the commit, as gzip protobuf with the configured headers, metrics and logs to sibling paths', async () => {
    upstream = await startUpstreamRecorder();
    const grpcPort = await freePort();
    const s = await forwarding(
      { upstreams: [{ url: upstream.url, headers: { 'x-tenant': 'desk-7' } }] },
      grpcPort,
    );
    const metrics = encodeRequest(gaugeRequest(3, [], 'fwd_http'));
    const logs = encodeLogsRequest({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '5', body: { stringValue: 'hi' } }] }] }],
    });
    expect((await post(s, metrics)).status).toBe(200);
    expect((await post(s, logs, '/v1/logs')).status).toBe(200);
    const grpc = exportClient(`127.0.0.1:${grpcPort}`, 'metrics');
    const viaGrpc = encodeRequest(gaugeRequest(2, [], 'fwd_grpc'));
    expect((await grpc.export(viaGrpc)).ok).toBe(true);
    grpc.close();
    expect(await poll(async () => upstream!.requests.length >= 3, 10_000)).toBe(true);
    const [first, second, third] = upstream.requests;
    expect(first?.path).toBe('/v1/metrics');
    expect(first?.headers['content-type']).toBe('application/x-protobuf');
    expect(first?.headers['content-encoding']).toBe('gzip');
    expect(first?.headers['x-tenant']).toBe('desk-7');
    expect(Buffer.compare(first!.body, Buffer.from(metrics))).toBe(0);
    expect(second?.path).toBe('/v1/logs');
    expect(Buffer.compare(second!.body, Buffer.from(logs))).toBe(0);
    expect(third?.path).toBe('/v1/metrics');
    expect(Buffer.compare(third!.body, Buffer.from(viaGrpc))).toBe(0);
    // The upstream recorded the last request before the forwarder read its answer: poll.
    expect(await poll(async () => metric(s, 'duckside_forward_sent_requests_total') === 3)).toBe(true);
    expect(await poll(async () => metric(s, 'duckside_forward_queue_bytes') === 0)).toBe(true);
  });

  it('forwards a JSON request as JSON, unchanged', async () => {
    upstream = await startUpstreamRecorder();
    const s = await forwarding({ upstreams: [{ url: `${upstream.url}/otlp/v1/metrics`, gzip: false }] });
    const json = JSON.stringify({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'j',
                  gauge: { dataPoints: [{ timeUnixNano: '1700000000000000001', asInt: '9007199254740993' }] },
                },
              ],
            },
          ],
        },
      ],
    });
    expect((await post(s, Buffer.from(json), '/v1/metrics', 'application/json')).status).toBe(200);
    expect(await poll(async () => upstream!.requests.length === 1, 10_000)).toBe(true);
    const got = upstream.requests[0]!;
    expect(got.path).toBe('/otlp/v1/metrics');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['content-encoding']).toBeUndefined();
    expect(got.body.toString()).toBe(json);
  });

  it('joins OTLP/JSON requests queued back to back into one upstream request, in order', async () => {
    const port = await freePort();
    const s = await forwarding({ upstreams: [{ url: `http://127.0.0.1:${port}`, gzip: false }] });
    const request = (name: string) =>
      JSON.stringify({
        resourceMetrics: [
          {
            scopeMetrics: [
              { metrics: [{ name, gauge: { dataPoints: [{ timeUnixNano: '1', asDouble: 1 }] } }] },
            ],
          },
        ],
      });
    for (const name of ['a', 'b', 'c']) {
      expect((await post(s, Buffer.from(request(name)), '/v1/metrics', 'application/json')).status).toBe(200);
    }
    upstream = await startUpstreamRecorder(undefined, port);
    expect(await poll(async () => metric(s, 'duckside_forward_sent_requests_total') === 3, 10_000)).toBe(
      true,
    );
    // `a` was read (and retried) alone while the upstream was down; `b` and `c` then went as one request.
    expect(upstream.requests.map((r) => r.body.toString())).toEqual([
      request('a'),
      JSON.stringify({
        resourceMetrics: [
          ...JSON.parse(request('b')).resourceMetrics,
          ...JSON.parse(request('c')).resourceMetrics,
        ],
      }),
    ]);
  });

  it('passes gzip requests on as the client sent them (members concatenated when queued back to back)', async () => {
    const port = await freePort();
    const s = await forwarding({ upstreams: [{ url: `http://127.0.0.1:${port}` }] });
    const plain = ['a', 'b', 'c'].map((name) =>
      Buffer.from(encodeRequest(gaugeRequest(300, [], `gz_${name}`))),
    );
    const sent = plain.map((body) => gzipSync(body, { level: 9 }));
    for (const body of sent) {
      const res = await fetch(`${s.url}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
        body,
      });
      expect(res.status).toBe(200);
    }
    // Queued as received: the queue holds the gzip bytes, not the (larger) plain requests.
    expect(metric(s, 'duckside_forward_queue_bytes')).toBeLessThan(plain.reduce((n, b) => n + b.length, 0));
    upstream = await startUpstreamRecorder(undefined, port);
    expect(await poll(async () => metric(s, 'duckside_forward_sent_requests_total') === 3, 10_000)).toBe(
      true,
    );
    // `a` was read (and retried) alone while the upstream was down; `b` and `c` then went as one request.
    expect(upstream.requests.map((r) => r.headers['content-encoding'])).toEqual(['gzip', 'gzip']);
    expect(upstream.requests.map((r) => r.wire)).toEqual([sent[0], Buffer.concat([sent[1]!, sent[2]!])]);
    expect(upstream.requests.map((r) => r.body)).toEqual([plain[0], Buffer.concat([plain[1]!, plain[2]!])]);
  });

  it('honours Retry-After on 503 and 429 and keeps the order', async () => {
    upstream = await startUpstreamRecorder((_r, res, n) => {
      if (n === 0) res.writeHead(503, { 'retry-after': '2' }).end();
      else if (n === 2) res.writeHead(429, { 'retry-after': '1' }).end();
      else res.writeHead(200).end();
    });
    const s = await forwarding({ upstreams: [upstream.url] });
    const a = encodeRequest(gaugeRequest(1, [], 'first'));
    const b = encodeRequest(gaugeRequest(1, [], 'second'));
    expect((await post(s, a)).status).toBe(200);
    expect(await poll(async () => upstream!.requests.length === 1)).toBe(true);
    expect((await post(s, b)).status).toBe(200);
    expect(await poll(async () => upstream!.requests.length === 4, 15_000)).toBe(true);
    const r = upstream.requests;
    // 503 + Retry-After: 2 s, then `a` again; `b` (429 + Retry-After: 1 s), then `b` again.
    expect(r.map((x) => Buffer.compare(x.body, Buffer.from(x === r[0] || x === r[1] ? a : b)))).toEqual([
      0, 0, 0, 0,
    ]);
    expect(r[1]!.atMs - r[0]!.atMs).toBeGreaterThanOrEqual(1950);
    expect(r[3]!.atMs - r[2]!.atMs).toBeGreaterThanOrEqual(950);
    expect(await poll(async () => metric(s, 'duckside_forward_sent_requests_total') === 2)).toBe(true);
    expect(metric(s, 'duckside_forward_retries_total', { reason: '503' })).toBe(1);
    expect(metric(s, 'duckside_forward_retries_total', { reason: '429' })).toBe(1);
  });

  it('drops a request the upstream answers 400 (counted) and delivers the next one', async () => {
    upstream = await startUpstreamRecorder((r, res) => {
      if (r.body.includes(Buffer.from('poison'))) res.writeHead(400).end('{"code":3}');
      else res.writeHead(200).end();
    });
    const s = await forwarding({ upstreams: [upstream.url] });
    const poison = encodeRequest(gaugeRequest(1, [], 'poison'));
    const good = encodeRequest(gaugeRequest(1, [], 'good'));
    expect((await post(s, poison)).status).toBe(200);
    expect((await post(s, good)).status).toBe(200);
    expect(await poll(async () => metric(s, 'duckside_forward_sent_requests_total') === 1, 10_000)).toBe(
      true,
    );
    expect(metric(s, 'duckside_forward_dropped_requests_total', { reason: 'rejected' })).toBe(1);
    expect(metric(s, 'duckside_forward_dropped_bytes_total', { reason: 'rejected' })).toBe(poison.byteLength);
    expect(metric(s, 'duckside_forward_retries_total')).toBe(0);
    // Whether the two went as one batch (then split) or one by one, `good` arrived alone at the end.
    expect(Buffer.compare(upstream.requests.at(-1)!.body, Buffer.from(good))).toBe(0);
  });

  it('caps the queue while the upstream is down, counts what it drops, and delivers the rest once it is up', async () => {
    const port = await freePort();
    const body = encodeRequest(gaugeRequest(50, [], 'capped'));
    const s = await forwarding({
      upstreams: [`http://127.0.0.1:${port}`],
      queueMaxBytes: 5 * (body.byteLength + 20),
    });
    for (let i = 0; i < 8; i++) expect((await post(s, body)).status).toBe(200);
    expect(metric(s, 'duckside_forward_dropped_requests_total', { reason: 'queue_full' })).toBe(3);
    expect(metric(s, 'duckside_forward_queue_bytes')).toBe(5 * (body.byteLength + 20));
    expect(
      await poll(async () => metric(s, 'duckside_forward_retries_total', { reason: 'network' }) >= 2, 5000),
    ).toBe(true);
    expect(metric(s, 'duckside_forward_lag_seconds')).toBeGreaterThan(0);
    upstream = await startUpstreamRecorder(undefined, port);
    expect(await poll(async () => metric(s, 'duckside_forward_sent_requests_total') === 5, 10_000)).toBe(
      true,
    );
    // Queued back to back, they may go as one concatenated request: the bytes are the five bodies.
    const delivered = Buffer.concat(upstream.requests.map((r) => r.body));
    expect(Buffer.compare(delivered, Buffer.concat(Array.from({ length: 5 }, () => body)))).toBe(0);
    expect(
      await poll(
        async () =>
          metric(s, 'duckside_forward_queue_bytes') === 0 && metric(s, 'duckside_forward_lag_seconds') === 0,
      ),
    ).toBe(true);
  });
});
