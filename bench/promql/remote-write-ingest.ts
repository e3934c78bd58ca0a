import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiled } from '@duckside/core';
import { configSchema, startServer } from '@duckside/sidecar';
import { REMOTE_WRITE_HEADERS, remoteWriteBody, type WriteSeries } from '@duckside/testkit/prometheus';

/** The shape of a remote_write ingest run. */
export interface RemoteWriteIngestOptions {
  /** Series per request (default 1000). */
  series?: number;
  /** Samples per series per request (default 10). */
  samplesPerSeries?: number;
  /** Timed requests (default 200); each has its own timestamps. */
  requests?: number;
  /** Concurrent senders, each posting its next request once the previous one was answered (default 4). */
  senders?: number;
}

/** What a remote_write ingest run measured. */
export interface RemoteWriteIngestResult {
  /** Samples committed per second (204s received) over the timed requests. */
  samplesPerSecond: number;
  /** Samples in the timed requests. */
  samples: number;
  /** Wall time of the timed requests. */
  seconds: number;
  /**
   * CPU seconds this process (sidecar and senders, DuckDB's threads included) used for the timed requests:
   * `samples / cpuSeconds` is the rate per core, which a loaded machine disturbs less than the wall figure.
   */
  cpuSeconds: number;
  /** Mean snappy-compressed request size. */
  bodyBytes: number;
  /** The workload in words, for the report. */
  workload: string;
}

const METRICS = [
  'bench_orders_total',
  'bench_fills_total',
  'bench_rejects_total',
  'bench_queue_depth',
  'bench_spread_bps',
];
const SYMBOLS = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'ADA/USD', 'DOGE/USD', 'DOT/USD', 'LTC/USD'];
const VENUES = ['kraken', 'binance', 'coinbase', 'bitstamp', 'okx'];
/** Sample times start one day before now (rounded to the hour), one second apart. */
const HOUR_MS = 3_600_000;

/** The label sets of the workload: 5 metric names x labels job, instance (10), symbol (8), venue (5), shard. */
function labelSets(count: number): Array<Array<[string, string]>> {
  return Array.from({ length: count }, (_, i) => [
    ['__name__', METRICS[i % METRICS.length] as string],
    ['instance', `node-${i % 10}:9100`],
    ['job', 'bench'],
    ['shard', String(i)],
    ['symbol', SYMBOLS[i % SYMBOLS.length] as string],
    ['venue', VENUES[i % VENUES.length] as string],
  ]);
}

/** Request `r`: every series with `n` samples at its own times (counters counting up, gauges moving). */
function request(labels: Array<Array<[string, string]>>, r: number, n: number, base: number): Buffer {
  const timeseries: WriteSeries[] = labels.map((set, i) => {
    const counter = (set[0]?.[1] ?? '').endsWith('_total');
    return {
      labels: set,
      samples: Array.from({ length: n }, (_, j) => {
        const step = r * n + j;
        return {
          timestamp: base + step * 1000,
          value: counter ? step * ((i % 7) + 1) : ((step * 31 + i) % 997) / 8,
        };
      }),
    };
  });
  return remoteWriteBody({ timeseries }).body;
}

/**
 * Measures remote_write ingest: starts the sidecar (in this process, default configuration but no retention
 * or dashboard) on a fresh DuckDB file, pre-builds snappy `WriteRequest`s of a deterministic workload (`series`
 * series x `samplesPerSeries` samples each, protobufjs + snappyjs), posts one warm-up round (which creates
 * the series), then times `requests` requests from `senders` concurrent senders over loopback HTTP. Returns
 * samples committed per second (a 204 means committed) and the workload's description.
 * @throws Error when a request is not answered 204, or the file does not hold every sample sent.
 * @example const { samplesPerSecond, workload } = await measureRemoteWriteIngest({ samplesPerSeries: 10 });
 */
export async function measureRemoteWriteIngest(
  options: RemoteWriteIngestOptions = {},
): Promise<RemoteWriteIngestResult> {
  const { series = 1000, samplesPerSeries = 10, requests = 200, senders = 4 } = options;
  const labels = labelSets(series);
  const base = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 24 * HOUR_MS;
  const warmup = Array.from({ length: senders }, (_, r) => request(labels, r, samplesPerSeries, base));
  const bodies = Array.from({ length: requests }, (_, r) =>
    request(labels, senders + r, samplesPerSeries, base),
  );
  const dir = mkdtempSync(join(tmpdir(), 'duckside-remote-write-'));
  const server = await startServer({
    config: configSchema.parse({
      port: 0,
      database: join(dir, 'remote-write.duckdb'),
      disablePlugins: ['retention', 'dashboard'],
      log: { level: 'warn' },
    }),
  });
  try {
    const url = `${server.url}/api/v1/write`;
    const post = async (body: Buffer) => {
      const res = await fetch(url, { method: 'POST', headers: REMOTE_WRITE_HEADERS, body });
      const text = await res.text();
      if (res.status !== 204) throw new Error(`remote_write answered ${res.status}: ${text}`);
    };
    const run = async (list: Buffer[]) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: senders }, async () => {
          for (let i = next++; i < list.length; i = next++) await post(list[i] as Buffer);
        }),
      );
    };
    await run(warmup);
    const started = performance.now();
    const cpu = process.cpuUsage();
    await run(bodies);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const samples = requests * series * samplesPerSeries;
    const [row] = await server.db.all(
      compiled<{ n: number }>('SELECT count(*)::BIGINT AS n FROM metric_points', []),
    );
    const stored = Number(row?.n ?? 0);
    if (stored !== samples + warmup.length * series * samplesPerSeries)
      throw new Error(`sent ${samples} timed samples (+ warm-up) but the file holds ${stored}`);
    const bodyBytes = Math.round(bodies.reduce((sum, b) => sum + b.length, 0) / bodies.length);
    return {
      samplesPerSecond: samples / seconds,
      samples,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      bodyBytes,
      workload: `${requests} snappy WriteRequests of ${series} series x ${samplesPerSeries} samples (${series * samplesPerSeries} samples, ~${Math.round(bodyBytes / 1024)} KiB each), ${senders} concurrent senders over loopback HTTP, sidecar in-process on a fresh DuckDB file`,
    };
  } finally {
    await server.shutdown('bench done');
    rmSync(dir, { recursive: true, force: true });
  }
}
