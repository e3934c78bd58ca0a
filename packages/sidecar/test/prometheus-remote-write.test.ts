import { compiled, Database, type DatabaseOptions } from '@duckside/core';
import { mulberry32 } from '@duckside/testkit';
import {
  encodeWriteRequest,
  REMOTE_WRITE_HEADERS,
  remoteWriteBody,
  snappyBlock,
  type WriteRequestInput,
  type WriteSeries,
} from '@duckside/testkit/prometheus';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type SidecarApp } from '../src/app.ts';
import { configSchema, type SidecarConfigInput } from '../src/config/config-schema.ts';
import { createLogger } from '../src/telemetry/logger.ts';

/* POST /api/v1/write (remote_write 1.0) through app.request: what is stored, how PromQL reads it back, statuses. */

const T0 = 1_700_000_000_000;
const TOKEN = 'r'.repeat(24);

interface Harness {
  db: Database;
  sidecar: SidecarApp;
  write(input: WriteRequestInput | Uint8Array, headers?: Record<string, string>): Promise<Response>;
  /** Instant PromQL query at `time` (ms): the `data` of the answer. */
  query(query: string, time: number): Promise<{ resultType: string; result: unknown[] }>;
  /** JSON body of a GET. */
  // biome-ignore lint/suspicious/noExplicitAny: test convenience for reading JSON bodies
  json(path: string): Promise<any>;
  count(): Promise<number>;
  counter(name: string): number;
  close(): Promise<void>;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(config: SidecarConfigInput = {}, db: Partial<DatabaseOptions> = {}): Promise<Harness> {
  const database = await Database.open({ path: ':memory:', ...db });
  const sidecar = await createApp({
    db: database,
    logger: createLogger({ level: 'error', write: () => undefined }),
    config: configSchema.parse({ disablePlugins: ['retention'], ...config }),
  });
  const auth: Record<string, string> = config.token ? { authorization: `Bearer ${config.token}` } : {};
  return {
    db: database,
    sidecar,
    write: async (input, headers = {}) => {
      const body = input instanceof Uint8Array ? input : remoteWriteBody(input).body;
      return sidecar.app.request('/api/v1/write', {
        method: 'POST',
        body,
        headers: { ...REMOTE_WRITE_HEADERS, ...auth, ...headers },
      });
    },
    query: async (query, time) => {
      const params = new URLSearchParams({ query, time: String(time / 1000) });
      const res = await sidecar.app.request(`/api/v1/query?${params}`, { headers: auth });
      const body = (await res.json()) as { status: string; data: { resultType: string; result: unknown[] } };
      expect(body.status, JSON.stringify(body)).toBe('success');
      return body.data;
    },
    json: async (path) => (await sidecar.app.request(path)).json(),
    count: async () =>
      (
        await database.all(compiled<{ n: number }>('SELECT count(*)::INTEGER AS n FROM metric_points', []))
      )[0]!.n,
    counter: (name) => {
      const line = sidecar.metrics
        .render()
        .split('\n')
        .find((l) => l.startsWith(`${name} `));
      return line ? Number(line.split(' ')[1]) : 0;
    },
    close: async () => {
      await sidecar.stop();
      await database.close();
    },
  };
}

const series = (labels: Record<string, string>, samples: WriteSeries['samples']): WriteSeries => ({
  labels: Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)),
  samples,
});

const steps = (n: number, value: (i: number) => number) =>
  Array.from({ length: n }, (_, i) => ({ timestamp: T0 + i * 15_000, value: value(i) }));

/** A scrape's worth: a counter, a gauge with a symbol, a classic histogram, a series going stale. */
const SCRAPE: WriteRequestInput = {
  timeseries: [
    series(
      { __name__: 'orders_total', job: 'oms', instance: 'oms-1:9100', venue: 'kraken' },
      steps(5, (i) => i * 3),
    ),
    series(
      { __name__: 'spread_bps', job: 'md', symbol: 'BTC/USD' },
      steps(5, (i) => 1.5 + i),
    ),
    ...['0.1', '1', '+Inf'].map((le, b) =>
      series(
        { __name__: 'latency_seconds_bucket', job: 'oms', le },
        steps(5, (i) => i * (b + 1)),
      ),
    ),
    series(
      { __name__: 'latency_seconds_count', job: 'oms' },
      steps(5, (i) => i * 3),
    ),
    series(
      { __name__: 'latency_seconds_sum', job: 'oms' },
      steps(5, (i) => i * 0.75),
    ),
    series({ __name__: 'feed_up', job: 'md' }, [
      { timestamp: T0, value: 1 },
      { timestamp: T0 + 15_000, value: 0, stale: true },
    ]),
  ],
  metadata: [
    { type: 1, metricFamilyName: 'orders_total', help: 'Orders seen.' },
    { type: 2, metricFamilyName: 'spread_bps', help: 'Spread.', unit: 'bps' },
    { type: 3, metricFamilyName: 'latency_seconds', help: 'Latency.' },
  ],
};

describe('POST /api/v1/write', () => {
  it('answers 204 once stored, and PromQL reads back the same series, labels and values', async () => {
    h = await harness();
    const res = await h.write(SCRAPE);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(await h.count()).toBe(5 * 7 + 2);
    expect(h.counter('duckside_remote_write_samples_total')).toBe(37);

    const raw = await h.query('orders_total[1m]', T0 + 60_000);
    expect(raw).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'orders_total', instance: 'oms-1:9100', job: 'oms', venue: 'kraken' },
          values: steps(5, (i) => i * 3).map((s) => [s.timestamp / 1000, String(s.value)]),
        },
      ],
    });
    expect((await h.query('spread_bps', T0 + 60_000)).result).toEqual([
      {
        metric: { __name__: 'spread_bps', job: 'md', symbol: 'BTC/USD' },
        value: [(T0 + 60_000) / 1000, '5.5'],
      },
    ]);
    const quantile = await h.query('histogram_quantile(0.5, rate(latency_seconds_bucket[1m]))', T0 + 60_000);
    expect(quantile.result).toEqual([
      { metric: { job: 'oms' }, value: [(T0 + 60_000) / 1000, expect.any(String)] },
    ]);
    expect(Number((quantile.result[0] as { value: [number, string] }).value[1])).toBeCloseTo(0.55, 12);
    // The staleness marker ends the series at once, as in Prometheus (not 5 minutes later).
    expect((await h.query('feed_up', T0 + 5_000)).result).toHaveLength(1);
    expect((await h.query('feed_up', T0 + 20_000)).result).toEqual([]);
    expect((await h.query('feed_up[1m]', T0 + 20_000)).result).toEqual([
      { metric: { __name__: 'feed_up', job: 'md' }, values: [[T0 / 1000, '1']] },
    ]);
  });

  it('reads back random label sets and values exactly (unicode, symbols, job and instance, NaN, tiny and huge numbers)', async () => {
    h = await harness();
    const random = mulberry32(20_261_203);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const words = [
      'a',
      'BTC/USD',
      'ünïcødé',
      '日本語',
      'x y',
      'quote"s',
      'back\\slash',
      'tab\tnew\nline',
      '0.25',
      '🚀',
      '{}',
    ];
    const names = ['venue', 'le', 'quantile', 'desk', '_private', 'a1', 'symbol', 'job', 'instance', 'zz'];
    const values = [0, -0.5, 1e-300, 1.7976931348623157e308, -123456789.125, Number.NaN, 3, 2 ** 53 + 2];
    const sent: WriteSeries[] = [];
    for (let i = 0; i < 60; i++) {
      const labels: Record<string, string> = {
        __name__: `m_${i % 7}${i % 3 === 0 ? '_total' : ''}`,
        id: String(i),
      };
      for (const name of names) if (random() < 0.4) labels[name] = `${pick(words)}${pick(words)}`;
      const samples = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, j) => ({
        timestamp: T0 + j * 1000 + Math.floor(random() * 999),
        value: random() < 0.5 ? pick(values) : (random() - 0.5) * 10 ** Math.floor(random() * 20),
      }));
      sent.push(series(labels, samples));
    }
    expect((await h.write({ timeseries: sent })).status).toBe(204);
    const raw = await h.query('{__name__=~"m_.+"}[10s]', T0 + 5_000);
    const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
    const got = new Map(
      (raw.result as Array<{ metric: Record<string, string>; values: [number, string][] }>).map((s) => [
        key(s.metric),
        s.values,
      ]),
    );
    expect(got.size).toBe(sent.length);
    for (const s of sent) {
      const values = got.get(key(Object.fromEntries(s.labels)));
      expect(values, JSON.stringify(s.labels)).toBeDefined();
      expect(values?.map(([t, v]) => [t, Number(v)])).toEqual(
        s.samples.map((x) => [x.timestamp / 1000, x.value]),
      );
    }
  });

  it('stores counters as monotonic cumulative sums, everything else as gauges, job/instance in the resource', async () => {
    h = await harness();
    expect((await h.write(SCRAPE)).status).toBe(204);
    const rows = await h.db.all(
      compiled<{ name: string; kind: number; mono: boolean | null; temporality: number; service: string }>(
        `SELECT DISTINCT name, kind, is_monotonic AS mono, temporality, service,
           resource->>'$.attributes."service.instance.id"' AS instance, scope->>'name' AS scope, unit
         FROM trading_metrics ORDER BY name`,
        [],
      ),
    );
    expect(rows.map((r) => [r.name, r.kind, r.mono, r.temporality])).toEqual([
      ['feed_up', 1, null, 0],
      ['latency_seconds_bucket', 1, null, 0],
      ['latency_seconds_count', 1, null, 0],
      ['latency_seconds_sum', 1, null, 0],
      ['orders_total', 2, true, 2],
      ['spread_bps', 1, null, 0],
    ]);
    expect(rows.find((r) => r.name === 'orders_total')).toMatchObject({
      service: 'oms',
      instance: 'oms-1:9100',
      scope: 'prometheus.remote_write',
      unit: '',
    });
    const stale = await h.db.all(
      compiled<{ flags: number; nan: boolean }>(
        "SELECT flags, isnan(value) AS nan FROM trading_metrics WHERE name = 'feed_up' ORDER BY ts",
        [],
      ),
    );
    expect(stale).toEqual([
      { flags: 0, nan: false },
      { flags: 1, nan: true },
    ]);
  });

  it('answers /api/v1/metadata from the metadata senders sent', async () => {
    h = await harness();
    expect((await h.json('/api/v1/metadata')).data).toEqual({});
    await h.write(SCRAPE);
    const all = await h.json('/api/v1/metadata');
    expect(all).toEqual({
      status: 'success',
      data: {
        latency_seconds: [{ type: 'histogram', help: 'Latency.', unit: '' }],
        orders_total: [{ type: 'counter', help: 'Orders seen.', unit: '' }],
        spread_bps: [{ type: 'gauge', help: 'Spread.', unit: 'bps' }],
      },
    });
    const one = await h.json('/api/v1/metadata?metric=spread_bps');
    expect(Object.keys(one.data)).toEqual(['spread_bps']);
    expect(Object.keys((await h.json('/api/v1/metadata?limit=1')).data)).toHaveLength(1);
  });

  it('uses metadata to keep a gauge named *_total a gauge', async () => {
    h = await harness();
    await h.write({
      timeseries: [
        series(
          { __name__: 'temp_total' },
          steps(1, () => 3),
        ),
      ],
      metadata: [{ type: 2, metricFamilyName: 'temp_total' }],
    });
    const [row] = await h.db.all(compiled<{ kind: number }>('SELECT kind FROM trading_metrics', []));
    expect(row?.kind).toBe(1);
    expect((await h.query('temp_total', T0)).result).toEqual([
      { metric: { __name__: 'temp_total' }, value: [T0 / 1000, '3'] },
    ]);
  });

  const BAD: Array<[string, () => Uint8Array, RegExp]> = [
    ['not snappy', () => Buffer.from('hello, this is not snappy at all'), /invalid snappy block/],
    [
      'truncated snappy',
      () => {
        const good = remoteWriteBody(SCRAPE).body;
        return good.subarray(0, good.length - 5);
      },
      /invalid snappy block/,
    ],
    [
      'snappy but not protobuf',
      () => snappyBlock(Buffer.from([0x0a, 0xff, 0x01, 0x02])),
      /runs past|truncated/,
    ],
    [
      'no __name__',
      () =>
        remoteWriteBody({
          timeseries: [
            series(
              { job: 'x' },
              steps(1, () => 1),
            ),
          ],
        }).body,
      /no __name__ label: \{job="x"\}/,
    ],
    [
      'unsorted labels',
      () =>
        remoteWriteBody({
          timeseries: [
            {
              labels: [
                ['job', 'x'],
                ['__name__', 'up'],
              ],
              samples: steps(1, () => 1),
            },
          ],
        }).body,
      /labels are not sorted by name \("__name__" after "job"\)/,
    ],
    [
      'repeated label',
      () =>
        remoteWriteBody({
          timeseries: [
            {
              labels: [
                ['__name__', 'up'],
                ['a', '1'],
                ['a', '2'],
              ],
              samples: steps(1, () => 1),
            },
          ],
        }).body,
      /label name "a" is repeated/,
    ],
    [
      'invalid metric name',
      () =>
        remoteWriteBody({
          timeseries: [
            series(
              { __name__: 'http.requests' },
              steps(1, () => 1),
            ),
          ],
        }).body,
      /invalid metric name "http.requests"/,
    ],
    [
      'invalid label name',
      () =>
        remoteWriteBody({
          timeseries: [
            series(
              { __name__: 'up', 'a-b': '1' },
              steps(1, () => 1),
            ),
          ],
        }).body,
      /invalid label name "a-b"/,
    ],
    [
      'native histogram',
      () =>
        remoteWriteBody({
          timeseries: [
            {
              labels: [['__name__', 'h']],
              samples: [],
              histograms: [{ countInt: 1, sum: 1, timestamp: T0 }],
            },
          ],
        }).body,
      /native histograms are not supported/,
    ],
    [
      'sample at time 0',
      () => remoteWriteBody({ timeseries: [series({ __name__: 'up' }, [{ timestamp: 0, value: 1 }])] }).body,
      /sample time out of the storable range/,
    ],
  ];

  it.each(BAD)(
    'answers 400 in plain text to a bad body (%s), storing none of it and keeping what was stored',
    async (_, body, message) => {
      h = await harness();
      expect((await h.write(SCRAPE)).status).toBe(204);
      const before = await h.count();
      const res = await h.write(body());
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await res.text()).toMatch(message);
      expect(await h.count()).toBe(before);
      expect((await h.query('orders_total', T0 + 60_000)).result).toHaveLength(1);
    },
  );

  it('refuses a whole request when one series is bad (a 400 means nothing of it is stored)', async () => {
    h = await harness();
    const res = await h.write({
      timeseries: [
        series(
          { __name__: 'good' },
          steps(3, () => 1),
        ),
        series(
          { job: 'nameless' },
          steps(3, () => 1),
        ),
      ],
    });
    expect(res.status).toBe(400);
    expect(await h.count()).toBe(0);
  });

  it('stores a resent batch once, and keeps each series in time order', async () => {
    h = await harness();
    expect((await h.write(SCRAPE)).status).toBe(204);
    expect((await h.write(SCRAPE)).status).toBe(204);
    expect(await h.count()).toBe(37);
    expect(h.counter('duckside_remote_write_samples_dropped_total')).toBe(37);
    const res = await h.write({
      timeseries: [
        series({ __name__: 'orders_total', job: 'oms', instance: 'oms-1:9100', venue: 'kraken' }, [
          { timestamp: T0 + 90_000, value: 30 },
          { timestamp: T0 + 75_000, value: 20 },
          { timestamp: T0 + 60_000, value: 12 },
          { timestamp: T0 + 105_000, value: 31 },
        ]),
      ],
    });
    expect(res.status).toBe(204);
    const raw = await h.query('orders_total[2m]', T0 + 120_000);
    expect((raw.result[0] as { values: unknown[] }).values.slice(-3)).toEqual([
      [(T0 + 60_000) / 1000, '12'],
      [(T0 + 90_000) / 1000, '30'],
      [(T0 + 105_000) / 1000, '31'],
    ]);
    expect(h.counter('duckside_remote_write_samples_dropped_total')).toBe(39);
  });

  it('answers 415 to other content types, remote_write 2.0 and other encodings, 405 to other methods', async () => {
    h = await harness();
    const body = remoteWriteBody(SCRAPE).body;
    for (const headers of [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' },
      { 'content-encoding': 'gzip' },
    ] as Record<string, string>[]) {
      const res = await h.write(body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(415);
      expect(await res.text()).toMatch(/not supported/);
    }
    const v1 = await h.write(body, {
      'content-type': 'application/x-protobuf; proto=prometheus.WriteRequest',
    });
    expect(v1.status).toBe(204);
    const get = await h.sidecar.app.request('/api/v1/write');
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('answers 413 over the limit, on the wire and once decompressed', async () => {
    h = await harness({ plugins: { prometheus: { writeMaxBodyBytes: 4096 } } });
    const many = {
      timeseries: Array.from({ length: 200 }, (_, i) =>
        series(
          { __name__: 'gauge_x', i: String(i) },
          steps(2, () => i),
        ),
      ),
    };
    const uncompressed = encodeWriteRequest(many);
    const compressed = snappyBlock(uncompressed);
    expect(compressed.length).toBeLessThan(4096);
    expect(uncompressed.length).toBeGreaterThan(4096);
    const inflated = await h.write(compressed);
    expect(inflated.status).toBe(413);
    expect(await inflated.text()).toMatch(/exceeds the limit of 4096 bytes/);
    const wire = await h.write(Buffer.alloc(5000, 1));
    expect(wire.status).toBe(413);
    expect(await h.count()).toBe(0);
  });

  it('needs the token like every other route', async () => {
    h = await harness({ token: TOKEN });
    const anonymous = await h.sidecar.app.request('/api/v1/write', {
      method: 'POST',
      ...remoteWriteBody(SCRAPE),
    });
    expect(anonymous.status).toBe(401);
    expect((await h.write(SCRAPE)).status).toBe(204);
    expect(await h.count()).toBe(37);
  });

  it('answers 503 with Retry-After when the write queue is full, and 204 only for committed samples', async () => {
    h = await harness({}, { writer: { maxQueueBytes: 1 } });
    // Each request its own sample times (the same samples twice would be stored once).
    const body = (r: number) =>
      remoteWriteBody({
        timeseries: Array.from({ length: 50 }, (_, i) =>
          series(
            { __name__: 'g', i: String(i) },
            [0, 1, 2, 3].map((j) => ({ timestamp: T0 + (r * 4 + j) * 1000, value: i })),
          ),
        ),
      }).body;
    const results = await Promise.all(Array.from({ length: 24 }, (_, r) => h!.write(body(r))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s !== 204 && s !== 503)).toEqual([]);
    const refused = results.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.headers.get('retry-after')).toBe('1');
      expect(await r.text()).toMatch(/^write queue is full/);
    }
    expect(await h.count()).toBe(200 * statuses.filter((s) => s === 204).length);
  });
});
