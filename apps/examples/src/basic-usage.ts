/**
 * Basic usage of @duckside/core: open and initialize a database, insert metrics one at a time and in batches,
 * query them, store candles and system events, read table statistics, then checkpoint and analyze.
 * Run: pnpm example:basic-usage --duration 5
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  aggregateMetrics,
  CandleRecord,
  candles,
  Database,
  MetricRecord,
  SystemEvent,
  selectEvents,
  selectMetrics,
} from '@duckside/core';
import { mulberry32 } from '@duckside/testkit';
import { parseExampleArgs } from './example-args.ts';
import { printTable } from './print-table.ts';

const SYMBOLS = ['BTC/USD', 'ETH/USD', 'SOL/USD'];
const { durationSeconds, db: dbPath } = parseExampleArgs();
const path = dbPath ?? join(mkdtempSync(join(tmpdir(), 'duckside-basic-')), 'basic.duckdb');
const rand = mulberry32(7);

await using db = await Database.open({ path });
const report = await db.verify();
console.log(
  `database ${path}: schema version ${report.currentVersion}, verified ${report.ok ? 'ok' : 'with differences'}`,
);

// A single insert: one latency sample with a symbol and a label.
await db.insertMetric(
  new MetricRecord('order_latency_ms', 42.5).withSymbol('BTC/USD').addLabel('exchange', 'alpaca'),
);

// Batches: a simulated price feed, 10 ticks per symbol every 100 ms for the duration.
const prices = new Map(SYMBOLS.map((s, i) => [s, [60_000, 3_000, 150][i] as number]));
const started = Date.now();
let inserted = 1;
while (Date.now() - started < durationSeconds * 1000) {
  const batch: MetricRecord[] = [];
  for (const symbol of SYMBOLS) {
    for (let i = 0; i < 10; i++) {
      const price = (prices.get(symbol) as number) * (1 + (rand() - 0.5) * 0.002);
      prices.set(symbol, price);
      batch.push(new MetricRecord('mid_price', price).withSymbol(symbol).addLabel('venue', 'kraken'));
      batch.push(
        new MetricRecord('order_latency_ms', 5 + rand() * 40)
          .withSymbol(symbol)
          .addLabel('exchange', 'alpaca'),
      );
    }
  }
  await db.insertMetrics(batch);
  inserted += batch.length;
  await new Promise((r) => setTimeout(r, 100));
}
const seconds = (Date.now() - started) / 1000;
console.log(
  `inserted ${inserted} metric points in ${seconds.toFixed(1)} s (${Math.round(inserted / seconds)} points/s)`,
);

const latest = await db.execute(selectMetrics().name('mid_price').symbol('BTC/USD').limit(3));
printTable(
  'Latest BTC/USD mid prices',
  latest.rows.map((r) => ({ ts: r.ts, value: r.value, attributes: r.attributes })),
);

const p99 = await db.execute(
  aggregateMetrics('order_latency_ms').interval('1s').fn('p99').groupBy({ by: 'symbol' }).limit(9),
);
printTable('p99 order latency per second and symbol (ms)', p99.rows);

// Candles: one per symbol built from the price feed, stored, then re-sent with a correction (replaced, not duplicated).
const built = await db.execute(candles().interval('1m').fromMetric('mid_price'));
const stored = built.rows.map(
  (c) =>
    new CandleRecord({
      symbol: c.symbol,
      venue: 'kraken',
      interval: '1m',
      timestamp: c.ts,
      open: c.open,
      high: c.high,
      low: c.low,
      close: c.close,
      volume: c.volume,
    }),
);
await db.insertCandles(stored);
await db.insertCandles(stored.map((c) => c.with({ volume: c.volume + 1 })));
printTable(
  'Stored 1m candles (re-sent once, still one per minute)',
  (await db.execute(candles().interval('1m'))).rows,
);

await db.insertEvents([
  new SystemEvent({
    severity: 'info',
    source: 'example',
    message: 'feed started',
    attributes: { symbols: SYMBOLS.length },
  }),
  new SystemEvent({
    severity: 'warning',
    source: 'gateway',
    message: 'kraken websocket reconnect',
    attributes: { attempt: 1 },
  }),
  new SystemEvent({ severity: 'error', source: 'risk', message: 'position limit reached on SOL/USD' }),
]);
printTable('Events at warning or above', (await db.execute(selectEvents().minSeverity('warning'))).rows);

printTable(
  'Table statistics',
  (await db.tableStats()).filter((t) => t.rows > 0),
);

await db.checkpoint();
await db.analyze();
console.log(`\noptimized: checkpoint and analyze done; file size ${db.fileSizeBytes()} bytes`);
console.log('pool', db.poolStats(), 'writer', db.writerStats());
