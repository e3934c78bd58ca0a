import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.ts';
import { exportEverything, RecordingExporter, SUCCESS } from './helpers/otel-recording.ts';
import { tableContents } from './helpers/table-contents.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'duckside-tls-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');

/** A self-signed certificate for 127.0.0.1, made by openssl. */
function makeCertificate(): Buffer {
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', key, '-out', cert],
      ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    ],
    { stdio: 'ignore' },
  );
  return readFileSync(cert);
}

function exportOnce(exporter: PushMetricExporter, metrics: ResourceMetrics): Promise<number> {
  return new Promise((resolve) => exporter.export(metrics, (r) => resolve(r.code)));
}

function grpcPort(t: TestServer): number {
  const line = t.logs.find((l) => l.msg === 'otlp grpc listening');
  expect(line?.tls).toBe(true);
  return Number(line?.port);
}

describe('TLS (--tls-cert, --tls-key)', () => {
  let ca: Buffer;
  let viaGrpc: TestServer;
  let viaHttps: TestServer;
  beforeAll(async () => {
    ca = makeCertificate();
    [viaGrpc, viaHttps] = await Promise.all([
      startTestServer({ tlsCert: cert, tlsKey: key }),
      startTestServer({ tlsCert: cert, tlsKey: key }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([viaGrpc?.close(), viaHttps?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS and OTLP/gRPC over TLS to the real SDK exporters, which store the same rows', async () => {
    expect(viaHttps.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const healthz = await new Promise<number>((resolve, reject) =>
      get(`${viaHttps.url}/healthz`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject),
    );
    expect(healthz).toBe(200);

    const grpc = new RecordingExporter(
      new GrpcExporter({
        url: `https://127.0.0.1:${grpcPort(viaGrpc)}`,
        credentials: credentials.createSsl(ca),
      }),
    );
    await exportEverything(grpc);
    expect(grpc.results.map((r) => r.code)).toEqual(grpc.sent.map(() => SUCCESS));
    const https = new ProtoExporter({ url: `${viaHttps.url}/v1/metrics`, httpAgentOptions: { ca } });
    for (const metrics of grpc.sent) expect(await exportOnce(https, metrics)).toBe(SUCCESS);
    await https.shutdown();
    const stored = await tableContents(viaGrpc.server.db);
    expect(Object.values(stored).reduce((n, rows) => n + rows.length, 0)).toBeGreaterThan(20);
    expect(await tableContents(viaHttps.server.db)).toEqual(stored);
  });

  it('refuses clients that do not trust the certificate, or speak plaintext', async () => {
    const untrusted = await new Promise<string>((resolve) =>
      get(`${viaHttps.url}/healthz`, (res) => resolve(String(res.statusCode))).on('error', (e) =>
        resolve((e as NodeJS.ErrnoException).code ?? e.message),
      ),
    );
    expect(untrusted).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const plaintext = new GrpcExporter({ url: `http://127.0.0.1:${grpcPort(viaGrpc)}`, timeoutMillis: 3000 });
    const [metrics] = (await recordOne()) as [ResourceMetrics];
    expect(await exportOnce(plaintext, metrics)).not.toBe(SUCCESS);
    await plaintext.shutdown();
  });

  it('needs both files', () => {
    expect(() => loadConfig(['--tls-cert', cert], {})).toThrow(/give both --tls-cert and --tls-key/);
  });
});

/** One export of every instrument kind, as the SDK would send it (not sent anywhere). */
async function recordOne(): Promise<ResourceMetrics[]> {
  const sent: ResourceMetrics[] = [];
  await exportEverything({
    export: (m, done) => {
      sent.push(m);
      done({ code: SUCCESS });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  } as PushMetricExporter);
  return sent;
}
