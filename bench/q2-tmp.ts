import { aggregateMetrics, candles, Database } from '@duckside/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toMetricBatch } from './core/to-metric-batch.ts';
import { QUERY_DAY } from './core/trading-data.ts';
import { TradingDataGenerator } from './core/trading-data.ts';
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const DAY_FROM = iso(QUERY_DAY), DAY_TO = iso(QUERY_DAY + 86_400_000);
const dir = mkdtempSync(join(tmpdir(), 'q-'));
const db = await Database.open({ path: join(dir, 'q.duckdb') });
const gen = new TradingDataGenerator(Number(process.argv[2] ?? 1_000_000));
for (let b = gen.next(100_000); b; b = gen.next(100_000)) await db.writeMetricBatch(toMetricBatch(b));
await db.checkpoint();
const q = aggregateMetrics('order_latency_ms').symbol('BTC/USD').between(DAY_FROM, DAY_TO).interval('1m').fn('avg').compile();
let literal = q.sql; for (const p of q.params) literal = literal.replace('?', typeof p === 'string' ? `'${p.replaceAll("'", "''")}'` : String(p));
console.log(q.sql);
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1]!.toFixed(2);
const tb: number[] = [], tl: number[] = [], tp: number[] = [];
for (let i = 0; i < 40; i++) {
  let t = performance.now(); await db.execute(q); tb.push(performance.now() - t);
  t = performance.now(); await db.withConnection(async (c) => (await c.runAndReadAll(literal)).getRowObjectsJS()); tl.push(performance.now() - t);
  t = performance.now(); await db.withConnection(async (c) => { const s = await c.prepare(q.sql); for (let j = 0; j < q.params.length; j++) { const p = q.params[j]; if (typeof p === 'string') s.bindVarchar(j + 1, p); else s.bindDouble(j+1, Number(p)); } return (await s.runAndReadAll()).getRowObjectsJS(); }); tp.push(performance.now() - t);
}
console.log('builder', med(tb), 'literal', med(tl), 'prepared-fresh', med(tp));
await db.close();
