import { MetricRecord } from '@duckside/core';
import { evaluatePromql, toPrometheusData } from '@duckside/promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/* The Prometheus HTTP API through the real server on 127.0.0.1, over data written through core. */

const T0 = 1_700_000_000_000;
const SYMBOLS = ['BTC/USD', 'ETH/USD'];
const TOKEN = 'p'.repeat(24);
let t: TestServer;

const form = (params: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(params).toString(),
});

beforeAll(async () => {
  t = await startTestServer({ token: TOKEN });
  const records: MetricRecord[] = [];
  for (let i = 0; i < 80; i++) {
    for (const [s, symbol] of SYMBOLS.entries()) {
      const timestamp = new Date(T0 + i * 15_000);
      // a counter-like series with a reset at i = 40, and a gauge
      records.push(
        MetricRecord.from({
          name: 'orders.seen',
          value: (i % 40) * (s + 1),
          timestamp,
          symbol,
          labels: { venue: 'kraken' },
        }),
      );
      records.push(MetricRecord.from({ name: 'queue.depth', value: i * 0.5 + s, timestamp, symbol }));
    }
  }
  await t.server.db.insertMetrics(records);
});

afterAll(() => t.close());

describe('Prometheus HTTP API', () => {
  it('answers an instant query in the success envelope, GET and POST alike', async () => {
    const time = String((T0 + 10 * 60_000) / 1000);
    const get = await t.get(
      `/api/v1/query?query=${encodeURIComponent('queue_depth{symbol="ETH/USD"}')}&time=${time}`,
    );
    expect(get.status).toBe(200);
    expect(get.body).toEqual({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          {
            metric: { __name__: 'queue_depth', symbol: 'ETH/USD' },
            value: [(T0 + 10 * 60_000) / 1000, '21'],
          },
        ],
      },
    });
    const post = await t.get('/api/v1/query', form({ query: 'queue_depth{symbol="ETH/USD"}', time }));
    expect(post.body).toEqual(get.body);
    const rfc = await t.get(
      `/api/v1/query?query=queue_depth&time=${new Date(T0 + 10 * 60_000).toISOString()}`,
    );
    expect(rfc.body.data.result).toHaveLength(2);
  });

  it('returns the same numbers for a range query as evaluatePromql on the database directly', async () => {
    const query = 'sum by (symbol) (rate(orders_seen[2m]))';
    const start = T0 + 5 * 60_000;
    const end = T0 + 19 * 60_000;
    const reply = await t.get(
      '/api/v1/query_range',
      form({ query, start: String(start / 1000), end: new Date(end).toISOString(), step: '30s' }),
    );
    expect(reply.status).toBe(200);
    const direct = toPrometheusData(await evaluatePromql(t.server.db, query, { start, end, step: 30_000 }));
    expect(reply.body).toEqual({ status: 'success', data: JSON.parse(JSON.stringify(direct)) });
    expect(reply.body.data.resultType).toBe('matrix');
    expect(reply.body.data.result).toHaveLength(2);
    expect(reply.body.data.result[0].values).toHaveLength(29);
    const floatStep = await t.get(
      `/api/v1/query_range?query=${encodeURIComponent(query)}&start=${start / 1000}&end=${end / 1000}&step=30`,
    );
    expect(floatStep.body).toEqual(reply.body);
  });

  it('answers every error type with its status code, as Prometheus does', async () => {
    const cases: [string, number, string, RegExp][] = [
      ['/api/v1/query?query=rate(queue_depth)', 400, 'bad_data', /range vector/],
      ['/api/v1/query?query=sum(', 400, 'bad_data', /./],
      ['/api/v1/query', 400, 'bad_data', /invalid parameter "query"/],
      [
        '/api/v1/query?query=1&time=yesterday',
        400,
        'bad_data',
        /cannot parse "yesterday" to a valid timestamp/,
      ],
      ['/api/v1/query_range?query=1&start=0&end=10&step=-1', 400, 'bad_data', /zero or negative/],
      ['/api/v1/query_range?query=1&start=0&end=10&step=5x', 400, 'bad_data', /valid duration/],
      ['/api/v1/query_range?query=1&start=0&end=10', 400, 'bad_data', /invalid parameter "step"/],
      [`/api/v1/query?query=${encodeURIComponent('queue_depth[1m+1m]')}`, 400, 'bad_data', /unsupported/],
      [
        `/api/v1/query?query=${encodeURIComponent('queue_depth + ignoring(symbol) queue_depth')}&time=${(T0 + 600_000) / 1000}`,
        422,
        'execution',
        /./,
      ],
      ['/api/v1/series', 400, 'bad_data', /no match\[\] parameter provided/],
      ['/api/v1/series?match[]=rate(x[5m])', 400, 'bad_data', /not a series selector/],
      ['/api/v1/label/1bad/values', 400, 'bad_data', /invalid label name/],
    ];
    for (const [path, status, errorType, message] of cases) {
      const reply = await t.get(path);
      expect({ path, status: reply.status, errorType: reply.body.errorType }).toEqual({
        path,
        status,
        errorType,
      });
      expect(reply.body.status).toBe('error');
      expect(reply.body.error).toMatch(message);
    }
    const wrongType = await t.get('/api/v1/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"1"}',
    });
    expect([wrongType.status, wrongType.body.errorType]).toEqual([400, 'bad_data']);
  });

  it('answers a query that passes its timeout with errorType timeout and 503', async () => {
    const query = encodeURIComponent('sum_over_time(vector(1)[30d:1s])');
    const reply = await t.get(`/api/v1/query?query=${query}&time=${(T0 + 600_000) / 1000}&timeout=0.1`);
    expect([reply.status, reply.body.status, reply.body.errorType]).toEqual([503, 'error', 'timeout']);
  });

  it('needs the token like the rest of the query API', async () => {
    const res = await fetch(`${t.url}/api/v1/query?query=1`);
    expect(res.status).toBe(401);
  });

  it("answers Grafana's data-source health check (buildinfo, 1+1, labels) as Prometheus", async () => {
    const build = await t.get('/api/v1/status/buildinfo');
    expect(build.status).toBe(200);
    expect(build.body).toMatchObject({ status: 'success', data: { version: '2.42.0' } });
    const now = Date.now() / 1000;
    const onePlusOne = await t.get(`/api/v1/query?query=1%2B1&time=${now}`);
    expect(onePlusOne.body).toEqual({
      status: 'success',
      data: { resultType: 'scalar', result: [now, '2'] },
    });
    const labels = await t.get(`/api/v1/labels?start=${T0 / 1000}&end=${now}`);
    expect(labels.body).toEqual({ status: 'success', data: ['__name__', 'symbol', 'venue'] });
  });

  it('lists series, label values and (empty) metadata', async () => {
    const series = await t.get(
      `/api/v1/series?match[]=orders_seen&match[]=${encodeURIComponent('queue_depth{symbol="BTC/USD"}')}&start=${T0 / 1000}&end=${(T0 + 3600_000) / 1000}`,
    );
    expect(series.body.status).toBe('success');
    expect(series.body.data.map((s: Record<string, string>) => `${s.__name__} ${s.symbol}`)).toEqual([
      'orders_seen BTC/USD',
      'orders_seen ETH/USD',
      'queue_depth BTC/USD',
    ]);
    const before = await t.get(`/api/v1/series?match[]=orders_seen&end=${(T0 - 1000) / 1000}`);
    expect(before.body).toEqual({ status: 'success', data: [] });
    const names = await t.get('/api/v1/label/__name__/values');
    expect(names.body).toEqual({ status: 'success', data: ['orders_seen', 'queue_depth'] });
    const symbols = await t.get('/api/v1/label/symbol/values', form({ 'match[]': 'orders_seen' }));
    expect(symbols.body).toEqual({ status: 'success', data: SYMBOLS });
    expect((await t.get('/api/v1/metadata')).body).toEqual({ status: 'success', data: {} });
  });

  it('answers series, label values and queries for series written between calls', async () => {
    const end = (T0 + 3600_000) / 1000;
    const venues = async () =>
      (await t.get(`/api/v1/label/venue/values?start=${T0 / 1000}&end=${end}`)).body.data as string[];
    const depthSymbols = async () =>
      (
        (await t.get(`/api/v1/series?match[]=fill_ratio&start=${T0 / 1000}&end=${end}`)).body.data as Record<
          string,
          string
        >[]
      ).map((s) => s.symbol);
    expect(await venues()).toEqual(['kraken']);
    expect(await depthSymbols()).toEqual([]);
    const write = (symbol: string, venue: string) =>
      t.server.db.insertMetrics([
        MetricRecord.from({
          name: 'fill.ratio',
          value: 0.5,
          timestamp: new Date(T0),
          symbol,
          labels: { venue },
        }),
      ]);
    await write('BTC/USD', 'binance');
    expect(await venues()).toEqual(['binance', 'kraken']);
    expect(await depthSymbols()).toEqual(['BTC/USD']);
    await write('SOL/USD', 'coinbase');
    expect(await venues()).toEqual(['binance', 'coinbase', 'kraken']);
    expect(await depthSymbols()).toEqual(['BTC/USD', 'SOL/USD']);
    const query = await t.get(
      `/api/v1/query?query=${encodeURIComponent('count(fill_ratio)')}&time=${(T0 + 60_000) / 1000}`,
    );
    expect(query.body.data.result[0].value[1]).toBe('2');
  });
});

describe('Prometheus HTTP API under a small row cap', () => {
  it('matches one series among more stored series than the cap, and refuses an answer over it', async () => {
    const small = await startTestServer({ query: { maxRows: 2 } });
    try {
      const symbols = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'ADA/USD', 'XRP/USD'];
      await small.server.db.insertMetrics(
        symbols.map((symbol, i) =>
          MetricRecord.from({ name: 'lot.size', value: i, timestamp: new Date(T0), symbol }),
        ),
      );
      const at = `time=${(T0 + 60_000) / 1000}`;
      const one = await small.get(
        `/api/v1/query?query=${encodeURIComponent('lot_size{symbol="SOL/USD"}')}&${at}`,
      );
      expect(one.status).toBe(200);
      expect(one.body.data.result).toEqual([
        { metric: { __name__: 'lot_size', symbol: 'SOL/USD' }, value: [(T0 + 60_000) / 1000, '2'] },
      ]);
      const all = await small.get(`/api/v1/query?query=lot_size&${at}`);
      expect(all.status).toBe(422);
      expect(all.body.errorType).toBe('execution');
    } finally {
      await small.close();
    }
  });
});
