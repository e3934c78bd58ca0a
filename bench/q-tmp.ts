import { Database, selectMetrics } from '@duckside/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toMetricBatch } from './core/to-metric-batch.ts';
import { TradingDataGenerator } from './core/trading-data.ts';
import { QUERY_DAY } from './core/trading-data.ts';
const DAY_FROM = new Date(QUERY_DAY).toISOString(); const DAY_TO = new Date(QUERY_DAY + 86_400_000).toISOString();
const dir = mkdtempSync(join(tmpdir(), 'q-'));
const db = await Database.open({ path: join(dir, 'q.duckdb') });
const gen = new TradingDataGenerator(1_000_000);
for (let b = gen.next(100_000); b; b = gen.next(100_000)) await db.writeMetricBatch(toMetricBatch(b));
const q = selectMetrics().name('order_latency_ms').symbol('BTC/USD').between(DAY_FROM, DAY_TO).limit(100).compile();
console.log(q.sql); console.log(q.params); console.log(JSON.stringify(q.shortcuts, null, 1));
for (let i = 0; i < 5; i++) { const t = performance.now(); const r = await db.execute(q); console.log('ms', (performance.now() - t).toFixed(2), r.rows.length); }
await db.withConnection(async (c) => {
  for (const s of [...(q.shortcuts ?? []), q]) {
    let sql = s.sql; for (const p of s.params) sql = sql.replace('?', typeof p === 'string' ? `'${p}'` : String(p));
    const t = performance.now(); const r = await c.runAndReadAll('EXPLAIN ANALYZE ' + sql); 
    console.log('explain ms', (performance.now() - t).toFixed(1)); console.log(String(r.getRows()[0]?.[1]).slice(0, 3000));
  }
});
await db.close();
