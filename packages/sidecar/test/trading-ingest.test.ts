import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const trade = (i: number, extra: Record<string, unknown> = {}) => ({
  timestamp: 1_709_294_400_000 + i,
  symbol: 'SOL/USD',
  venue: 'kraken',
  side: i % 2 === 0 ? 'buy' : 'sell',
  quantity: 1 + i,
  price: 150,
  ...extra,
});

let t: TestServer;
const count = async (path: string) => (await t.get(path)).body.count as number;

beforeAll(async () => {
  t = await startTestServer({ ingest: { maxBodyBytes: 64 * 1024 } });
});

afterAll(async () => {
  await t?.close();
});

describe('trading ingest', () => {
  it('stores a JSON array and answers with the stored count after commit', async () => {
    const res = await t.post('/api/v1/trades', [trade(0), trade(1), trade(2)]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stored: 3 });
    expect(await count('/api/v1/trades?symbol=SOL/USD')).toBe(3);
  });

  it('stores NDJSON, skipping blank lines and accepting CRLF', async () => {
    const body = `${JSON.stringify({ severity: 'info', source: 'nd', message: 'a' })}\r\n\n${JSON.stringify({ severity: 'error', source: 'nd', message: 'b', timestamp: '2024-03-01T00:00:00Z' })}\n`;
    const res = await t.post('/api/v1/events', body, { 'content-type': 'application/x-ndjson' });
    expect(res.body).toEqual({ stored: 2 });
    expect(await count('/api/v1/events?source=nd')).toBe(2);
  });

  it('accepts metrics and candles, and re-sending a candle replaces it', async () => {
    const metric = {
      name: 'spread_bps',
      value: 2.5,
      symbol: 'SOL/USD',
      labels: { venue: 'kraken', depth: 3 },
    };
    expect((await t.post('/api/v1/metrics', [metric])).body).toEqual({ stored: 1 });
    const res = await t.get('/api/v1/metrics?name=spread_bps');
    expect(res.body.data[0]).toMatchObject({
      value: 2.5,
      symbol: 'SOL/USD',
      labels: { venue: 'kraken', depth: 3 },
    });

    const candle = {
      symbol: 'SOL/USD',
      venue: 'kraken',
      interval: '5m',
      timestamp: '2024-03-01T00:00:00Z',
      open: 1,
      high: 2,
      low: 1,
      close: 2,
      volume: 10,
    };
    await t.post('/api/v1/candles', [candle]);
    await t.post('/api/v1/candles', [{ ...candle, close: 1.5, volume: 12 }]);
    const candles = await t.get('/api/v1/candles?symbol=SOL/USD&interval=5m');
    expect(candles.body.data).toHaveLength(1);
    expect(candles.body.data[0]).toMatchObject({ close: 1.5, volume: 12 });
  });

  it('refuses a request with one bad row, naming row and field, and stores none of it', async () => {
    const before = await count('/api/v1/trades?symbol=SOL/USD&limit=1000');
    const res = await t.post('/api/v1/trades', [trade(10), trade(11), trade(12, { quantity: -1 })]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'validation',
        field: 'quantity',
        index: 2,
        message: 'row 2: quantity: must be positive',
      },
    });
    const unknownField = await t.post('/api/v1/trades', [trade(13, { venueId: 7 })]);
    expect(unknownField.body.error).toMatchObject({ code: 'validation', index: 0 });
    expect(unknownField.body.error.message).toContain('venueId');
    const ndjson = `${JSON.stringify(trade(14))}\n${JSON.stringify({ ...trade(15), side: 'hold' })}\n`;
    const nd = await t.post('/api/v1/trades', ndjson, { 'content-type': 'application/x-ndjson' });
    expect(nd.body.error).toMatchObject({ field: 'side', index: 1 });
    expect(await count('/api/v1/trades?symbol=SOL/USD&limit=1000')).toBe(before);
  });

  it('refuses bodies that are not what the content type says (400)', async () => {
    const notArray = await t.post('/api/v1/trades', trade(0));
    expect(notArray.status).toBe(400);
    expect(notArray.body.error).toEqual({
      code: 'malformed',
      message: 'the body must be a JSON array of records',
    });
    const broken = await t.post('/api/v1/trades', '[{"timestamp":');
    expect(broken.body.error.code).toBe('malformed');
    const line = await t.post('/api/v1/trades', `${JSON.stringify(trade(0))}\n{oops}\n`, {
      'content-type': 'application/x-ndjson',
    });
    expect(line.body.error.message).toMatch(/^line 2 is not valid JSON/);
    const latin1 = await t.post('/api/v1/events', new Uint8Array([0x5b, 0xff, 0x5d]));
    expect(latin1.body.error).toMatchObject({ code: 'malformed', message: 'the body is not valid UTF-8' });
  });

  it('checks the content type explicitly (415)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx']) {
      const res = await t.post('/api/v1/trades', JSON.stringify([trade(0)]), { 'content-type': type });
      expect(res.status, type).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    }
    const none = await fetch(`${t.url}/api/v1/trades`, {
      method: 'POST',
      body: new Blob([JSON.stringify([trade(0)])]),
    });
    expect(none.status).toBe(415);
    const br = await t.post('/api/v1/trades', JSON.stringify([trade(0)]), { 'content-encoding': 'br' });
    expect(br.status).toBe(415);
  });

  it('accepts gzip bodies and limits both the wire size and the inflated size (413)', async () => {
    const rows = [trade(20), trade(21)];
    const gz = await t.post('/api/v1/trades', gzipSync(JSON.stringify(rows)), { 'content-encoding': 'gzip' });
    expect(gz.body).toEqual({ stored: 2 });

    const big = JSON.stringify(Array.from({ length: 2000 }, (_, i) => trade(i)));
    expect(big.length).toBeGreaterThan(64 * 1024);
    const tooBig = await t.post('/api/v1/trades', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('too_large');

    const bomb = gzipSync(`[${' '.repeat(1024 * 1024)}]`);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const inflated = await t.post('/api/v1/trades', bomb, { 'content-encoding': 'gzip' });
    expect(inflated.status).toBe(413);

    const corrupt = await t.post('/api/v1/trades', new Uint8Array([0x1f, 0x8b, 1, 2, 3]), {
      'content-encoding': 'gzip',
    });
    expect(corrupt.status).toBe(400);
  });

  it('limits chunked bodies without a Content-Length while reading the stream', async () => {
    const chunk = new TextEncoder().encode(`${JSON.stringify(trade(0))}\n`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 200 * 1024) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await fetch(`${t.url}/api/v1/trades`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/x-ndjson' },
      duplex: 'half',
    } as RequestInit);
    expect(res.headers.get('content-length')).not.toBeNull();
    expect(res.status).toBe(413);
  });

  it('stores an empty array as zero rows', async () => {
    expect((await t.post('/api/v1/events', [])).body).toEqual({ stored: 0 });
  });

  it('counts ingested and rejected rows per signal in /metrics', async () => {
    const text = (await t.get('/metrics')).body as string;
    expect(text).toMatch(/^duckside_ingested_rows_total\{signal="trades"\} 5$/m);
    expect(text).toMatch(/^duckside_ingested_rows_total\{signal="candles"\} 2$/m);
    expect(text).toMatch(/^duckside_rejected_rows_total\{signal="trades",code="validation"\} 6$/m);
  });
});
